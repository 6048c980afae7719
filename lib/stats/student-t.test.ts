import { describe, expect, it } from 'vitest'
import { studentTwoSidedP } from './student-t'

describe("Student's t", () => {
  it('t = 2.093 with 19 df is the 5% two-sided point (tables: 2.093); t = 1.96 with 10,000 df is normal 5%', () => {
    expect(studentTwoSidedP(2.093024, 19)).toBeCloseTo(0.05, 5)
    expect(studentTwoSidedP(1.959964, 10_000)).toBeCloseTo(0.05, 3)
  })

  it('t = 12.706 with 1 df (Cauchy) is 5%; t = 0 is 1; the sign does not matter', () => {
    expect(studentTwoSidedP(12.7062, 1)).toBeCloseTo(0.05, 4)
    expect(studentTwoSidedP(0, 5)).toBe(1)
    expect(studentTwoSidedP(-2.5706, 5)).toBeCloseTo(0.05, 4)
  })
})
