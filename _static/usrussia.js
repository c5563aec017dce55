// The book's own page script (Jupyter Book adds every file in _static/ to each page).
//
// A solution opens when its title bar is clicked (sphinx-togglebutton). Its title holds a
// link ("Solution to Exercise 8.1"), and sphinx-togglebutton 0.4.5 throws on a click that
// lands on anything in the title but the title and its button ("button is not defined"),
// leaving the solution shut; on a phone the link fills most of the bar. A click anywhere
// in a toggle's title, the link included, is passed to the title itself.
document.addEventListener(
  "click",
  (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const title = target && target.closest(".toggle > .admonition-title");
    if (!title || target === title || target.closest(".toggle-button")) return;
    event.preventDefault();
    event.stopPropagation();
    title.click();
  },
  true,
);
