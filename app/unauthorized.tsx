import Link from 'next/link'

export default function Unauthorized() {
  return (
    <main className="sign-in">
      <h1>Sign in first</h1>
      <p>Your session has ended or you have not signed in.</p>
      <p>
        <Link href="/sign-in">Sign in</Link>
      </p>
    </main>
  )
}
