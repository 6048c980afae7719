import Link from 'next/link'

export default function Forbidden() {
  return (
    <main className="sign-in">
      <h1>Not for your role</h1>
      <p>
        This page is for Upshot’s admins: an admin can give you that role on the Access page. (A demo without sign-in
        answers only at localhost.)
      </p>
      <p>
        <Link href="/">Back to the overview</Link>
      </p>
    </main>
  )
}
