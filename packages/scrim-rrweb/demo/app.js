// The demo app: a single-page sign-up flow with a form, personal text, a
// same-origin iframe, an open shadow root, a password field that can be
// shown as text, a third-party widget, and a security page the policy
// never records. Routes change with history.pushState.

class UserCard extends HTMLElement {
  connectedCallback() {
    if (this.shadowRoot) return;
    const root = this.attachShadow({ mode: 'open' });
    root.innerHTML = '<h2>Account card</h2><span class="holder">zqshadow-secret-6620</span>';
  }
}
customElements.define('user-card', UserCard);

const pages = {
  '/app/signup': `
    <h1>Create your account</h1>
    <p class="account">Invited by zqpii-account-3390, contact zq.inviter@example.org</p>
    <p class="public">Questions? Write to zq.support.secret@example.org</p>
    <p class="public">Réponse sous 24 h — 日本語 ✓ 🙂</p>
    <user-card></user-card>
    <form id="signup">
      <label for="name">Full name</label>
      <input id="name" name="name" autocomplete="name">
      <label for="email">Email</label>
      <input id="email" name="email" type="email">
      <label for="password">Password</label>
      <input id="password" name="password" type="password">
      <button type="button" id="show-password">Show password</button>
      <label for="about">About you</label>
      <textarea id="about" name="about"></textarea>
      <label for="plan">Plan</label>
      <select id="plan" name="plan"><option value="free">Free</option><option value="team">Team</option></select>
      <label><input type="checkbox" id="newsletter" name="newsletter"> Newsletter</label>
      <button type="submit" id="submit">Sign up</button>
    </form>
    <iframe id="billing" src="/demo/frame.html" width="400" height="200"></iframe>
    <div id="support-chat"><p>Chat with Sam: my order is zqchat-secret-1207</p></div>
    <div id="toasts"></div>`,
  '/app/settings/security': `
    <h1>Security settings</h1>
    <p class="public">Recovery code: zqrecovery-code-7781</p>
    <label for="recovery">Confirm code</label>
    <input id="recovery" name="recovery">`,
};

function render() {
  view(location.pathname);
}

function view(path) {
  document.getElementById('view').innerHTML = pages[path] ?? '<h1>Not found</h1>';
  const form = document.getElementById('signup');
  if (!form) return;
  document.getElementById('show-password').addEventListener('click', () => {
    document.getElementById('password').type = 'text';
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const toast = document.createElement('p');
    toast.className = 'toast';
    toast.textContent = `Welcome, ${document.getElementById('name').value}!`;
    document.getElementById('toasts').append(toast);
  });
}

// Like some routers, the "quick" links render the next page first and then
// change the URL, with a `pushState` kept from before any recorder started.
const pushStateAtLoad = history.pushState.bind(history);

document.addEventListener('click', (event) => {
  const link = event.target.closest('a[data-route]');
  if (!link) return;
  event.preventDefault();
  const href = link.getAttribute('href');
  if (link.hasAttribute('data-quick')) {
    const url = new URL(href, location.href);
    view(url.pathname);
    pushStateAtLoad({}, '', href);
    return;
  }
  history.pushState({}, '', href);
  render();
});
addEventListener('popstate', render);
render();
