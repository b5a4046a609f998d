"""What the journeys and the screenshots look for on every page."""

# Runs on every page before its own code: after each load, reports (as a console error,
# which fails the journey) a document or a table wider than the window.
OVERFLOW_PROBE = """
window.addEventListener('load', () => {
  const root = document.documentElement;
  const found = [];
  if (root.scrollWidth > root.clientWidth) found.push(`document ${root.scrollWidth}px`);
  for (const table of document.querySelectorAll('table')) {
    const right = Math.round(table.getBoundingClientRect().right);
    if (right > root.clientWidth + 1) found.push(`table.${table.className || '(no class)'} to ${right}px`);
  }
  if (found.length) console.error(`layout overflow at ${root.clientWidth}px on ${location.pathname}: ${found.join(', ')}`);
});
"""

