// The browser tests use the same Chromium as the PDF renderer.
export { chromiumArgs, chromiumExecutable } from '../../lib/export/chromium'
