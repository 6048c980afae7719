'use client'

import { useId, type ReactNode } from 'react'
import { readDay, writeDay } from '@/lib/dates'

// A browser's own date input shows the browser's locale (mm/dd/yyyy in an American Chromium) while every page
// writes "6 Apr 2026". This field shows and takes days the way the pages write them, and ISO as well.

/** What the browser checks before sending the form; readDay has the last word (it also refuses 31 Feb). */
const DAY_PATTERN = String.raw`\s*(\d{1,2}\s+[A-Za-z]{3,9}\.?\s+\d{4}|\d{4}-\d{2}-\d{2})\s*`
const REFUSAL = 'Write a day such as 6 Apr 2026 (or 2026-04-06)'

export interface DayFieldProps {
  label: string
  name: string
  /** An ISO date (shown as "6 Apr 2026"), or what was typed into a refused form (shown as it is). */
  defaultValue: string
  required?: boolean
  'aria-invalid'?: boolean
  /** The id of the field's error message, when it has one. */
  'aria-describedby'?: string
  /** The field's error message, under the hint. */
  children?: ReactNode
}

/**
 * A date field in a `.field` label: the day as text, with a hint, a pattern, and a refusal the browser shows
 * for a day that does not exist. The form sends what was typed; the reader (readDay) turns it into ISO.
 */
export function DayField({ label, name, defaultValue, required = false, children, ...aria }: DayFieldProps) {
  const id = useId()
  const describedBy = [`${id}-hint`, aria['aria-describedby']].filter(Boolean).join(' ')
  return (
    <label className="field">
      <span id={`${id}-label`}>{label}</span>
      <input
        type="text"
        name={name}
        defaultValue={writeDay(defaultValue)}
        required={required}
        pattern={DAY_PATTERN}
        title={REFUSAL}
        autoComplete="off"
        spellCheck={false}
        size={12}
        // the label's text alone names the field; the hint describes it
        aria-labelledby={`${id}-label`}
        aria-describedby={describedBy}
        aria-invalid={aria['aria-invalid']}
        onInput={(event) => {
          const text = event.currentTarget.value.trim()
          event.currentTarget.setCustomValidity(text && !readDay(text) ? REFUSAL : '')
        }}
        onBlur={(event) => {
          // "2026-04-06" or "6 april 2026" typed: shown as the pages write it
          const day = readDay(event.currentTarget.value)
          if (day) event.currentTarget.value = writeDay(day)
        }}
      />
      <small className="day-hint" id={`${id}-hint`}>
        e.g. 6 Apr 2026
      </small>
      {children}
    </label>
  )
}
