import { describe, expect, it } from 'vitest'
import { verifySignature } from './webhook'

// GitHub's published example (docs.github.com, "Validating webhook deliveries" → "Testing the webhook payload validation")
const SECRET = "It's a Secret to Everybody"
const PAYLOAD = 'Hello, World!'
const SIGNATURE = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17'

describe('webhook signatures', () => {
  it('GitHub’s published example verifies', () => {
    expect(verifySignature(SECRET, PAYLOAD, SIGNATURE)).toBe(true)
  })

  it('a one-byte change to the body, the signature or the secret fails', () => {
    expect(verifySignature(SECRET, 'Hello, World?', SIGNATURE)).toBe(false)
    expect(verifySignature(SECRET, PAYLOAD, SIGNATURE.replace(/e17$/, 'e18'))).toBe(false)
    expect(verifySignature("It's a Secret to Everybodx", PAYLOAD, SIGNATURE)).toBe(false)
  })

  it('a missing, truncated or SHA-1 signature fails', () => {
    expect(verifySignature(SECRET, PAYLOAD, null)).toBe(false)
    expect(verifySignature(SECRET, PAYLOAD, SIGNATURE.slice(0, -2))).toBe(false)
    expect(verifySignature(SECRET, PAYLOAD, 'sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59')).toBe(false)
  })
})
