// Ferry console: progressive enhancement only. Every page works without this file.
// - <form data-confirm="question">: asks before submitting.
// - <input data-filter="#list-id">: hides the <option>s of that <select> or the rows of that <tbody>
//   whose text does not contain what was typed (the searchable picker).
// - <button data-busy="Working…">: disables the button and shows the text while its form submits.

document.addEventListener('submit', (event) => {
  const form = event.target
  if (!(form instanceof HTMLFormElement)) return
  const question = form.dataset.confirm
  if (question && !window.confirm(question)) {
    event.preventDefault()
    return
  }
  const button = event.submitter
  if (button instanceof HTMLButtonElement && button.dataset.busy) {
    // Disable after the submission has taken the button's name/value.
    setTimeout(() => {
      button.disabled = true
      button.textContent = button.dataset.busy
    }, 0)
  }
})

document.addEventListener('input', (event) => {
  const input = event.target
  if (!(input instanceof HTMLInputElement) || !input.dataset.filter) return
  const list = document.querySelector(input.dataset.filter)
  if (!list) return
  const needle = input.value.trim().toLowerCase()
  const items = list instanceof HTMLSelectElement ? list.options : list.children
  for (const item of items) {
    const match = !needle || item.textContent.toLowerCase().includes(needle)
    item.hidden = !match
  }
  if (list instanceof HTMLSelectElement && needle) {
    // A value typed in full wins ("112" over "1121"); else the selection stays while it still
    // matches, or moves to the first option that does.
    const options = [...list.options]
    const exact = options.find((o) => o.value && o.value.toLowerCase() === needle)
    const first = options.find((o) => !o.hidden && o.value)
    if (exact) exact.selected = true
    else if (first && list.selectedOptions[0]?.hidden !== false) first.selected = true
  }
})

// - <section data-live="/console/live/…">: follows the server-sent `progress` events of a long
//   operation (run, backfill, bulk retry) and updates its <progress>, counts, rate and ETA.
for (const section of document.querySelectorAll('[data-live]')) {
  const source = new EventSource(section.dataset.live)
  const field = (name) => section.querySelector(`[data-field="${name}"]`)
  source.addEventListener('progress', (event) => {
    const { progress, done } = JSON.parse(event.data)
    const bar = section.querySelector('progress')
    if (bar) {
      bar.max = Math.max(progress.total, 1)
      bar.value = progress.settled
    }
    field('settled').textContent = progress.settled
    field('total').textContent = progress.total
    field('rate').textContent = progress.ratePerSecond
    field('eta').textContent = progress.etaSeconds === null ? '—' : `${progress.etaSeconds} s`
    for (const count of section.querySelectorAll('[data-count]'))
      count.textContent = progress.counts[count.dataset.count] ?? 0
    if (done) {
      source.close()
      field('status').textContent = section.dataset.doneText ?? field('status').textContent
      // The heading says how it ended, with the counts (data-done-label: {settled}, {total}, {<state>}).
      const template = section.dataset.doneLabel
      if (template) {
        const label = template.replace(/\{(\w+)\}/g, (_whole, name) =>
          String(name === 'settled' || name === 'total' ? progress[name] : (progress.counts[name] ?? 0)),
        )
        field('label').textContent = label
        section.setAttribute('aria-label', label)
      }
      section.dataset.done = 'true'
    }
  })
  source.addEventListener('error', () => source.close())
}
