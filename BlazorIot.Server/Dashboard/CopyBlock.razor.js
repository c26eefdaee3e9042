// Copies text; the Clipboard API needs a secure context (https or localhost), so on a plain-http
// LAN address fall back to selecting the block and the older copy command.
export async function copyText(text, element) {
    if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(text);
        return true;
    }
    const range = document.createRange();
    range.selectNodeContents(element);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    return document.execCommand('copy');
}
