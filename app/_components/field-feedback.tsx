// What a refused form says beside each field: its message (an alert), and the attributes that tie the field to it
// for screen readers. One shape for every form, keyed by a prefix so two forms on a page never share an id.

export function fieldFeedback(errors: Record<string, string>, prefix: string) {
  const id = (name: string) => `${prefix}-${name}-error`
  return {
    error: (name: string) =>
      errors[name] ? (
        <p className="field-error" id={id(name)} role="alert">
          {errors[name]}
        </p>
      ) : null,
    described: (name: string) => (errors[name] ? { 'aria-invalid': true, 'aria-describedby': id(name) } : {}),
  }
}
