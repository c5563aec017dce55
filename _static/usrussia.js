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

// "On this page" marks the section being read (pydata-sphinx-theme): the theme marks one
// when its heading passes the top of the window or when the address names it. A jump to
// anything else (a citation's entry under References, a figure, an exercise) passes no
// heading, so the list went on marking the section the reader had left. After such a
// jump, the section that holds the target is marked, the way the theme marks one.
(() => {
  const markSectionOfTarget = () => {
    const nav = document.querySelector("#pst-page-toc-nav");
    const target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!nav || !target) return;
    const links = [...nav.querySelectorAll("a")];
    if (links.some((a) => a.hash === location.hash)) return; // the theme's own case
    let link;
    for (let s = target.closest("section[id]"); s && !link; s = s.parentElement.closest("section[id]")) {
      link = links.find((a) => a.hash === `#${encodeURIComponent(s.id)}`);
    }
    if (!link) return;
    links.forEach((a) => {
      a.classList.toggle("active", a === link);
      if (a === link) a.setAttribute("aria-current", "true");
      else a.removeAttribute("aria-current");
    });
    nav.querySelectorAll(".toc-entry").forEach((e) => e.classList.toggle("active", e.contains(link)));
  };
  addEventListener("hashchange", markSectionOfTarget);
  // A page opened at an address with a target, and a second click on the same link.
  addEventListener("load", markSectionOfTarget);
  document.addEventListener("click", (event) => {
    const a = event.target instanceof Element && event.target.closest("a[href^='#']");
    if (a && a.hash === location.hash) setTimeout(markSectionOfTarget);
  });
})();
