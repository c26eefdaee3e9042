// The phone menu is a native popover (it opens, closes on Escape and returns focus without any
// script, even before the circuit is live); this module only keeps the button's aria-expanded true
// and closes the menu once a link is chosen, since Blazor navigates without reloading the page.
// Listeners sit on the document: Blazor replaces the prerendered header when the circuit starts.
const menuId = 'main-menu';

function openMenu() {
    const menu = document.getElementById(menuId);
    return menu?.matches(':popover-open') ? menu : null;
}

// toggle does not bubble, hence the capture phase.
document.addEventListener('toggle', event => {
    if (!(event.target instanceof HTMLElement) || event.target.id !== menuId) {
        return;
    }
    const expanded = event.newState === 'open' ? 'true' : 'false';
    for (const button of document.querySelectorAll(`[popovertarget="${menuId}"]`)) {
        button.setAttribute('aria-expanded', expanded);
    }
}, true);

document.addEventListener('click', event => {
    if (event.target instanceof Element && event.target.closest(`#${menuId} a`)) {
        openMenu()?.hidePopover();
    }
});

// Widened past the phone layout, the links show inline again; an open popover would float over them.
matchMedia('(min-width: 640px)').addEventListener('change', wide => {
    if (wide.matches) {
        openMenu()?.hidePopover();
    }
});
