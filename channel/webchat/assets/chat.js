// Parley web chat: the bot picker, the conversation and the POST /chat client.
// Plain JavaScript, no build step. Everything a user or a bot says reaches the
// page as text (textContent); nothing from them is ever parsed as HTML.
'use strict';

(function () {
  const TEXT = {
    en: {
      newChat: 'New chat', placeholder: 'Type a message', label: 'Message', send: 'Send',
      pick: 'Choose a bot to talk to.', allBots: 'All bots', typing: 'The bot is typing',
      empty: 'Say hello to start the conversation.', sendFailed: 'The message could not be sent.',
      unknownBot: 'No bot "%s" is served. Choose one below.', noBots: 'No bots are served.',
      loadFailed: 'The bot list could not be loaded.',
    },
    ko: {
      newChat: '새 대화', placeholder: '메시지를 입력하세요', label: '메시지', send: '보내기',
      pick: '대화할 봇을 골라 주세요.', allBots: '모든 봇', typing: '봇이 입력하고 있어요',
      empty: '인사로 대화를 시작해 보세요.', sendFailed: '메시지를 보내지 못했어요.',
      unknownBot: '"%s" 봇은 없어요. 아래에서 골라 주세요.', noBots: '제공되는 봇이 없어요.',
      loadFailed: '봇 목록을 불러오지 못했어요.',
    },
    zh: {
      newChat: '新对话', placeholder: '输入消息', label: '消息', send: '发送',
      pick: '请选择一个机器人。', allBots: '所有机器人', typing: '机器人正在输入',
      empty: '打个招呼开始对话吧。', sendFailed: '消息发送失败。',
      unknownBot: '没有机器人"%s"，请在下面选择。', noBots: '没有可用的机器人。',
      loadFailed: '无法加载机器人列表。',
    },
  };
  const MAX_HISTORY = 200; // entries kept in sessionStorage per conversation
  const MAX_BUTTONS = 5;   // Lex cards carry at most five buttons

  const $ = (id) => document.getElementById(id);
  const ui = {
    title: $('title'), subtitle: $('subtitle'), back: $('back'), newChat: $('new-chat'),
    picker: $('picker'), pickerIntro: $('picker-intro'), pickerError: $('picker-error'), pickerList: $('picker-list'),
    chat: $('chat'), log: $('log'), form: $('composer'), input: $('input'), inputLabel: $('input-label'), send: $('send'),
  };

  const state = { bot: null, locale: '', sessionId: '', busy: false, history: [], text: TEXT.en };

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function textsFor(lang) {
    return TEXT[String(lang || '').slice(0, 2).toLowerCase()] || TEXT.en;
  }

  function languageName(localeId, uiLang) {
    try {
      return new Intl.DisplayNames([uiLang], { type: 'language' }).of(localeId.split('_')[0]) || localeId;
    } catch (_) {
      return localeId;
    }
  }

  // sessionStorage can be missing or full (private modes); the chat still
  // works, it just forgets on reload.
  const storage = {
    key: (suffix) => 'parley:' + state.bot.id + ':' + state.locale + ':' + suffix,
    get(suffix) {
      try { return window.sessionStorage.getItem(storage.key(suffix)); } catch (_) { return null; }
    },
    set(suffix, value) {
      try { window.sessionStorage.setItem(storage.key(suffix), value); } catch (_) { /* best effort */ }
    },
    clear() {
      try {
        window.sessionStorage.removeItem(storage.key('session'));
        window.sessionStorage.removeItem(storage.key('history'));
      } catch (_) { /* best effort */ }
    },
  };

  // ---- start-up --------------------------------------------------------

  async function main() {
    const params = new URLSearchParams(window.location.search);
    state.text = textsFor(navigator.language);
    let bots;
    try {
      const res = await fetch('bots', { headers: { Accept: 'application/json' } });
      const body = await readJSON(res);
      if (!res.ok || !Array.isArray(body)) throw new Error(errorText(res, body));
      bots = body;
    } catch (err) {
      showPicker([], state.text.loadFailed + ' (' + err.message + ')');
      return;
    }
    const wanted = params.get('bot');
    const bot = wanted ? bots.find((b) => b.id === wanted) : (bots.length === 1 ? bots[0] : null);
    if (!bot || !Array.isArray(bot.locales) || bot.locales.length === 0) {
      showPicker(bots, wanted ? state.text.unknownBot.replace('%s', () => wanted) : (bots.length ? '' : state.text.noBots));
      return;
    }
    const locale = bot.locales.includes(params.get('locale')) ? params.get('locale') : bot.locales[0];
    startChat(bot, locale, bots.length > 1);
  }

  async function readJSON(res) {
    try { return await res.json(); } catch (_) { return null; }
  }

  // errorText prefers the server's message ({"error": {"message"}}).
  function errorText(res, body) {
    return (body && body.error && body.error.message) || ('HTTP ' + res.status);
  }

  // ---- picker ----------------------------------------------------------

  function showPicker(bots, problem) {
    const t = state.text;
    document.documentElement.lang = navigator.language || 'en';
    ui.title.textContent = 'Parley';
    ui.subtitle.textContent = '';
    ui.pickerIntro.textContent = t.pick;
    ui.pickerError.textContent = problem || '';
    ui.pickerError.hidden = !problem;
    ui.pickerList.replaceChildren(...bots.map((bot) => {
      const item = el('li', 'bot-card');
      item.append(el('h2', '', bot.name || bot.id), el('p', 'bot-id', bot.id));
      if (bot.description) item.append(el('p', 'bot-desc', bot.description));
      const locales = el('div', 'bot-locales');
      for (const locale of bot.locales) {
        const link = el('a', 'bot-locale', languageName(locale, navigator.language) + ' · ' + locale);
        link.href = '?' + new URLSearchParams({ bot: bot.id, locale: locale }).toString();
        locales.append(link);
      }
      item.append(locales);
      return item;
    }));
    ui.picker.hidden = false;
  }

  // ---- chat ------------------------------------------------------------

  function startChat(bot, locale, several) {
    state.bot = bot;
    state.locale = locale;
    const lang = locale.replace('_', '-');
    const t = state.text = textsFor(lang);
    document.documentElement.lang = lang;
    document.title = (bot.name || bot.id) + ' · Parley';
    ui.title.textContent = bot.name || bot.id;
    ui.subtitle.textContent = bot.id + ' · ' + languageName(locale, lang);
    ui.back.hidden = !several;
    ui.back.setAttribute('aria-label', t.allBots);
    ui.newChat.textContent = t.newChat;
    ui.newChat.hidden = false;
    ui.input.placeholder = t.placeholder;
    ui.inputLabel.textContent = t.label;
    ui.send.setAttribute('aria-label', t.send);

    state.sessionId = storage.get('session') || '';
    try {
      const saved = JSON.parse(storage.get('history') || '[]');
      state.history = Array.isArray(saved) ? saved.filter((e) => e && typeof e === 'object') : [];
    } catch (_) {
      state.history = [];
    }
    renderHistory();

    ui.form.addEventListener('submit', (event) => {
      event.preventDefault();
      sendFromComposer();
    });
    ui.input.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter' || event.shiftKey) return;
      // Enter that ends a Korean (or any IME) composition must not send:
      // it only commits the syllable being composed.
      if (event.isComposing || event.keyCode === 229) return;
      event.preventDefault();
      sendFromComposer();
    });
    ui.input.addEventListener('input', () => {
      autosize();
      updateControls();
    });
    ui.newChat.addEventListener('click', newConversation);

    ui.chat.hidden = false;
    updateControls();
    // On touch screens focusing would pop the keyboard over the greeting.
    if (window.matchMedia('(pointer: fine)').matches) ui.input.focus();
  }

  function renderHistory() {
    ui.log.replaceChildren();
    if (state.history.length === 0) {
      ui.log.append(el('p', 'empty', state.text.empty));
    }
    for (const entry of state.history) renderEntry(entry);
    refreshCards();
    scrollToEnd();
  }

  function renderEntry(entry) {
    ui.log.querySelectorAll('.empty').forEach((n) => n.remove());
    if (entry.who === 'user') {
      const row = el('div', 'row row-user');
      row.append(el('div', 'bubble', entry.text));
      ui.log.append(row);
      return row;
    }
    const row = el('div', 'row row-bot');
    (entry.messages || []).forEach((message, i) => renderMessage(row, message, entry, i));
    ui.log.append(row);
    return row;
  }

  function renderMessage(row, m, entry, index) {
    switch (m && m.contentType) {
      case 'PlainText':
        row.append(el('div', 'bubble', m.content || ''));
        break;
      case 'SSML':
        row.append(el('div', 'bubble', ssmlToText(m.content || '')));
        break;
      case 'CustomPayload':
        row.append(el('pre', 'payload', prettyPayload(m.content || '')));
        break;
      case 'ImageResponseCard':
        if (m.imageResponseCard) row.append(renderCard(m.imageResponseCard, entry, index));
        break;
      default:
        if (m && m.content) row.append(el('div', 'bubble', m.content));
    }
  }

  // entry.chosen remembers which button answered the card ("index:value"),
  // so the answer stays marked after a reload.
  function renderCard(card, entry, index) {
    const box = el('div', 'card');
    const image = safeImageURL(card.imageUrl);
    if (image) {
      const img = el('img', 'card-image');
      img.alt = '';
      img.loading = 'lazy';
      img.referrerPolicy = 'no-referrer';
      img.addEventListener('load', scrollToEnd);
      img.addEventListener('error', () => img.remove());
      img.src = image;
      box.append(img);
    }
    const body = el('div', 'card-body');
    body.append(el('p', 'card-title', card.title || ''));
    if (card.subtitle) body.append(el('p', 'card-subtitle', card.subtitle));
    box.append(body);
    const buttons = (card.buttons || []).slice(0, MAX_BUTTONS);
    if (buttons.length) {
      const list = el('div', 'card-buttons');
      for (const b of buttons) {
        const button = el('button', 'card-button', b.text || b.value);
        button.type = 'button';
        const choice = index + ':' + (b.value || b.text);
        if (entry.chosen === choice) button.classList.add('card-button-chosen');
        // The value is what the bot understands; the text is what the user saw.
        button.addEventListener('click', () => send(b.value || b.text, b.text || b.value, false, () => {
          entry.chosen = choice;
          button.classList.add('card-button-chosen');
        }));
        list.append(button);
      }
      box.append(list);
    }
    return box;
  }

  // Only web images: anything else (javascript:, data: from a bot) is dropped.
  function safeImageURL(raw) {
    if (!raw) return '';
    try {
      const url = new URL(raw, window.location.href);
      return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : '';
    } catch (_) {
      return '';
    }
  }

  // SSML is shown as its text: parsed as XML (which never runs scripts), or,
  // when it is not well-formed, with tags stripped and entities decoded.
  function ssmlToText(ssml) {
    const doc = new DOMParser().parseFromString(ssml, 'application/xml');
    let text;
    if (doc.getElementsByTagName('parsererror').length === 0 && doc.documentElement) {
      text = doc.documentElement.textContent;
    } else {
      text = decodeEntities(ssml.replace(/<[^>]*>/g, ' '));
    }
    return text.replace(/\s+/g, ' ').trim();
  }

  function decodeEntities(s) {
    const named = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
    return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name) => {
      if (name[0] === '#') {
        const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      return Object.prototype.hasOwnProperty.call(named, name.toLowerCase()) ? named[name.toLowerCase()] : whole;
    });
  }

  function prettyPayload(content) {
    try {
      return JSON.stringify(JSON.parse(content), null, 2);
    } catch (_) {
      return content;
    }
  }

  // Only the newest bot reply's buttons answer the question being asked;
  // older cards and every card during a request are disabled.
  function refreshCards() {
    const rows = ui.log.querySelectorAll('.row');
    const last = rows[rows.length - 1];
    const live = last && last.classList.contains('row-bot') ? last : null;
    ui.log.querySelectorAll('.card-button').forEach((b) => {
      b.disabled = state.busy || !live || !live.contains(b);
    });
  }

  function scrollToEnd() {
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  function autosize() {
    ui.input.style.height = 'auto';
    ui.input.style.height = Math.min(ui.input.scrollHeight + 2, 140) + 'px';
  }

  function updateControls() {
    ui.send.disabled = state.busy || ui.input.value.trim() === '';
    // A reply still on its way belongs to the current conversation.
    ui.newChat.disabled = state.busy;
    ui.chat.setAttribute('aria-busy', state.busy ? 'true' : 'false');
  }

  function remember(entry) {
    state.history.push(entry);
    if (state.history.length > MAX_HISTORY) state.history.splice(0, state.history.length - MAX_HISTORY);
    storage.set('history', JSON.stringify(state.history));
  }

  function sendFromComposer() {
    const text = ui.input.value;
    if (state.busy || text.trim() === '') return;
    ui.input.value = '';
    autosize();
    send(text, text, true);
  }

  function showTyping() {
    const row = el('div', 'row row-bot');
    const dots = el('div', 'bubble typing');
    dots.setAttribute('role', 'status');
    dots.setAttribute('aria-label', state.text.typing);
    dots.append(el('span'), el('span'), el('span'));
    row.append(dots);
    ui.log.append(row);
    scrollToEnd();
    return row;
  }

  // send runs one turn; onSent, when given, runs once the turn succeeded.
  async function send(value, shown, fromComposer, onSent) {
    const text = String(value).trim();
    if (state.busy || text === '') return;
    ui.log.querySelectorAll('.notice').forEach((n) => n.remove());
    state.busy = true;
    const userEntry = { who: 'user', text: String(shown).trim() || text };
    const userRow = renderEntry(userEntry);
    const typing = showTyping();
    refreshCards();
    updateControls();
    try {
      const request = { text: text, botId: state.bot.id, localeId: state.locale };
      if (state.sessionId) request.sessionId = state.sessionId;
      // The server streams generated answers as Server-Sent Events when
      // asked; anything else (errors, older servers) comes as JSON.
      const res = await fetch('chat', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream, application/json' },
        body: JSON.stringify(request),
      });
      const streamed = res.ok && res.body && (res.headers.get('Content-Type') || '').startsWith('text/event-stream');
      const body = streamed ? await readStream(res, typing) : await readJSON(res);
      if (!res.ok || !body) throw new Error(errorText(res, body));
      state.sessionId = body.sessionId || state.sessionId;
      storage.set('session', state.sessionId);
      remember(userEntry);
      const botEntry = { who: 'bot', messages: Array.isArray(body.messages) ? body.messages : [] };
      if (onSent) onSent();
      remember(botEntry);
      typing.remove();
      renderEntry(botEntry);
    } catch (err) {
      // The turn did not happen: take the bubble back and give the text back.
      typing.remove();
      userRow.remove();
      if (fromComposer && ui.input.value === '') {
        ui.input.value = text;
        autosize();
      }
      ui.log.append(el('p', 'notice', state.text.sendFailed + ' ' + err.message));
      if (state.history.length === 0 && !ui.log.querySelector('.row')) {
        ui.log.prepend(el('p', 'empty', state.text.empty));
      }
    } finally {
      state.busy = false;
      refreshCards();
      updateControls();
      scrollToEnd();
      if (fromComposer) ui.input.focus();
    }
  }

  // readStream reads the events of a streamed turn: each "delta" grows the
  // answer in the typing row as it arrives; "done" carries the whole turn in
  // the JSON shape, "error" the error body. EventSource cannot POST, hence
  // fetch and a reader.
  async function readStream(res, typing) {
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    let live = null;
    for (;;) {
      const { value, done } = await reader.read();
      buffer += decoder.decode(value || new Uint8Array(), { stream: !done });
      let cut;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        let event = 'message';
        let data = '';
        for (const line of block.split('\n')) {
          if (line.startsWith('event:')) event = line.slice(6).trim();
          else if (line.startsWith('data:')) data += line.slice(5).trimStart();
        }
        let payload = null;
        try { payload = JSON.parse(data); } catch (_) { continue; }
        if (event === 'delta' && payload && typeof payload.text === 'string') {
          if (!live) {
            live = el('div', 'bubble streaming');
            live.setAttribute('aria-live', 'polite');
            typing.replaceChildren(live);
          }
          live.textContent += payload.text;
          scrollToEnd();
        } else if (event === 'done') {
          reader.cancel().catch(() => {});
          return payload;
        } else if (event === 'error') {
          reader.cancel().catch(() => {});
          throw new Error((payload && payload.error && payload.error.message) || 'stream error');
        }
      }
      if (done) throw new Error('the answer ended early');
    }
  }

  function newConversation() {
    storage.clear();
    state.sessionId = '';
    state.history = [];
    renderHistory();
    ui.input.focus();
  }

  main();
})();
