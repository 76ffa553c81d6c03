// Amiable web chat: sends the debtor's messages to Rasa's REST channel and shows the answers.
// Every text (debtor's or bot's) is rendered with textContent, never parsed as HTML.
"use strict";

(function () {
  const SESSION_KEY = "amiable.webchat.sender";
  const TRANSCRIPT_KEY = "amiable.webchat.transcript";
  const MAX_KEPT_MESSAGES = 200;
  const TIMEOUT_MS = 60000;

  const root = document.querySelector("main.chat");
  const log = document.getElementById("log");
  const form = document.getElementById("composer");
  const field = document.getElementById("message");
  const hint = document.getElementById("hint");
  const typing = document.getElementById("typing");
  const errorBox = document.getElementById("error");
  const restart = document.getElementById("restart");

  const maxChars = Number(root.dataset.maxChars) || 1000;
  const webhook = new URL(root.dataset.webhook, document.baseURI).href;
  const formatter = new Intl.NumberFormat("fr-FR");
  const HINTS = {
    normal: "Entrée pour envoyer · " + formatter.format(maxChars) + " caractères au maximum.",
    near: "Votre message approche de la limite de " + formatter.format(maxChars) + " caractères.",
    full: "Limite de " + formatter.format(maxChars) + " caractères atteinte : raccourcissez votre message " +
      "ou envoyez-le en plusieurs fois.",
  };
  let pending = false;
  let generation = 0; // bumped by « nouvelle conversation »: late answers of the old one are dropped

  function randomId() {
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return "web-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function storage() {
    try {
      return window.sessionStorage;
    } catch (_) {
      return null; // storage disabled: the conversation still works, it just does not survive a reload
    }
  }

  function sender() {
    const store = storage();
    let id = store && store.getItem(SESSION_KEY);
    if (!id) {
      id = randomId();
      if (store) store.setItem(SESSION_KEY, id);
    }
    return id;
  }

  function loadTranscript() {
    const store = storage();
    try {
      const saved = JSON.parse((store && store.getItem(TRANSCRIPT_KEY)) || "[]");
      return Array.isArray(saved) ? saved : [];
    } catch (_) {
      return [];
    }
  }

  function keep(author, text) {
    const store = storage();
    if (!store) return;
    const transcript = loadTranscript();
    transcript.push({ author: author, text: text });
    try {
      store.setItem(TRANSCRIPT_KEY, JSON.stringify(transcript.slice(-MAX_KEPT_MESSAGES)));
    } catch (_) {
      /* storage full: the page keeps working */
    }
  }

  function show(author, text) {
    const item = document.createElement("div");
    item.className = "message " + (author === "user" ? "message-user" : "message-bot");
    const who = document.createElement("span");
    who.className = "visually-hidden";
    who.textContent = author === "user" ? "Vous : " : "Assistant : ";
    const body = document.createElement("p");
    body.className = "message-text";
    body.textContent = text; // never innerHTML: the text is shown as typed, markup included
    item.append(who, body);
    log.append(item);
    log.scrollTop = log.scrollHeight;
    return item;
  }

  function say(author, text) {
    show(author, text);
    keep(author, text);
  }

  function setError(text) {
    errorBox.textContent = text;
    errorBox.hidden = !text;
  }

  function updateHint() {
    const length = field.value.length;
    const state = length >= maxChars ? "full" : length >= maxChars - 100 ? "near" : "normal";
    if (hint.dataset.state !== state) {
      hint.dataset.state = state;
      hint.textContent = HINTS[state];
    }
  }

  async function post(text) {
    const controller = new AbortController();
    const timer = window.setTimeout(() => controller.abort(), TIMEOUT_MS);
    try {
      return await fetch(webhook, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: sender(), message: text, metadata: { source: "webchat" } }),
        signal: controller.signal,
        credentials: "omit",
      });
    } finally {
      window.clearTimeout(timer);
    }
  }

  async function send(text) {
    const current = generation;
    pending = true;
    log.setAttribute("aria-busy", "true");
    typing.textContent = "L'assistant écrit…";
    setError("");
    const bubble = show("user", text); // kept in the transcript once the server has received it
    try {
      let response;
      try {
        response = await post(text);
      } catch (error) {
        throw new Error(
          error && error.name === "AbortError"
            ? "Le service met trop de temps à répondre. Réessayez dans quelques instants."
            : "Le service est injoignable pour le moment : votre message n'a pas pu être envoyé. " +
              "Vérifiez votre connexion puis réessayez dans quelques instants."
        );
      }
      if (!response.ok) {
        throw new Error(
          response.status === 413
            ? "Votre message est trop long. Raccourcissez-le puis réessayez."
            : "Le service n'a pas pu traiter votre message (erreur " + response.status + "). " +
              "Réessayez dans quelques instants."
        );
      }
      let replies;
      try {
        replies = await response.json();
      } catch (_) {
        throw new Error("La réponse du service est illisible. Réessayez dans quelques instants.");
      }
      if (current !== generation) return;
      keep("user", text);
      for (const reply of Array.isArray(replies) ? replies : []) {
        if (reply && typeof reply.text === "string" && reply.text) say("bot", reply.text);
      }
    } catch (error) {
      if (current !== generation) return;
      bubble.remove(); // not sent: the text goes back into the field, nothing is lost
      setError(error.message);
      if (!field.value) field.value = text;
      updateHint();
    } finally {
      pending = false;
      typing.textContent = "";
      log.removeAttribute("aria-busy");
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = field.value.trim();
    field.focus();
    if (pending) {
      hint.dataset.state = "";
      hint.textContent = "Patientez : l'assistant répond à votre message précédent.";
      return;
    }
    if (!text) {
      hint.dataset.state = "";
      hint.textContent = "Écrivez un message avant de l'envoyer.";
      return;
    }
    if (text.length > maxChars) {
      hint.dataset.state = "full";
      hint.textContent = HINTS.full;
      return;
    }
    field.value = "";
    updateHint();
    send(text);
  });

  field.addEventListener("input", updateHint);

  restart.addEventListener("click", () => {
    generation += 1;
    const store = storage();
    if (store) {
      store.removeItem(SESSION_KEY);
      store.removeItem(TRANSCRIPT_KEY);
    }
    log.replaceChildren();
    setError("");
    field.value = "";
    updateHint();
    field.focus();
  });

  for (const entry of loadTranscript()) {
    if (entry && typeof entry.text === "string") show(entry.author === "user" ? "user" : "bot", entry.text);
  }
  setError("");
  updateHint();
  field.focus();
})();
