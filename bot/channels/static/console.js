// Amiable agent console: the conversation, suggestions after each debtor message, the case panel and a live
// check of the agent's draft. It talks only to the assist API of its own origin, with the agent's token.
// Every text (debtor's, agent's, suggestion, case data) is rendered with textContent, never parsed as HTML.
"use strict";

(function () {
  const TOKEN_KEY = "amiable.console.token";
  const POLL_MS = 1500;
  const CHECK_DELAY_MS = 300;
  const KIND_LABELS = {
    reformulation: "Reformulation",
    empathie: "Empathie",
    question_ouverte: "Question ouverte",
    question_fermee: "Question fermée",
    proposition: "Proposition",
    information: "Information",
  };
  const ACT_LABELS = {
    question_ouverte: "question ouverte",
    question_fermee: "question fermée",
    reformulation: "reformulation",
    empathie: "empathie",
    information: "information",
    proposition: "proposition",
    pression: "pression",
    autre: "autre",
  };
  const SPEAKERS = { debtor: "Débiteur", agent: "Vous", assistant: "Assistant" };

  const root = document.querySelector("main.console");
  const api = new URL(root.dataset.api + "/", document.baseURI).href;
  const $ = (id) => document.getElementById(id);
  const login = $("login");
  const workspace = $("workspace");
  const logout = $("logout");
  const log = $("log");
  const reply = $("reply");
  const verdict = $("verdict");
  const rewrite = $("rewrite");
  const rewriteText = $("rewrite-text");
  const send = $("send");

  let conversation = null;
  let reference = null;
  let nextIndex = 0;
  let polling = null;
  let pollBusy = false;
  let checkTimer = null;
  let checkSeq = 0;

  function storage() {
    try {
      return window.sessionStorage;
    } catch (_) {
      return null;
    }
  }

  function token() {
    const store = storage();
    return (store && store.getItem(TOKEN_KEY)) || "";
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function call(path, options) {
    const init = { method: "GET", headers: { Authorization: "Bearer " + token() } };
    if (options && options.body !== undefined) {
      init.method = "POST";
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(options.body);
    }
    let response;
    try {
      response = await fetch(api + path, init);
    } catch (_) {
      throw new ApiError(0, "Le serveur ne répond pas. Vérifiez votre connexion.");
    }
    let data = null;
    try {
      data = await response.json();
    } catch (_) {
      data = null;
    }
    if (response.status === 401) {
      showLogin("Votre session a expiré ou le jeton est refusé : reconnectez-vous.");
      throw new ApiError(401, "Jeton refusé.");
    }
    if (!response.ok) {
      throw new ApiError(response.status, (data && data.erreur) || "Erreur du serveur (" + response.status + ").");
    }
    return data;
  }

  // --- login ---------------------------------------------------------------------------------------------
  function showLogin(message) {
    const store = storage();
    if (store) store.removeItem(TOKEN_KEY);
    stopPolling();
    workspace.hidden = true;
    logout.hidden = true;
    login.hidden = false;
    $("login-error").textContent = message || "";
    $("token").focus();
  }

  function showWorkspace() {
    login.hidden = true;
    workspace.hidden = false;
    logout.hidden = false;
    $("conversation").focus();
  }

  $("login-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const given = $("token").value.trim();
    if (!given) {
      $("login-error").textContent = "Saisissez votre jeton d'accès.";
      return;
    }
    const store = storage();
    if (store) store.setItem(TOKEN_KEY, given);
    try {
      await call("session");
      $("token").value = "";
      showWorkspace();
    } catch (error) {
      if (error.status !== 401) $("login-error").textContent = error.message;
    }
  });

  logout.addEventListener("click", () => showLogin("Vous êtes déconnecté."));

  // --- conversation --------------------------------------------------------------------------------------
  $("open-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const id = $("conversation").value.trim();
    const ref = $("reference").value.trim();
    $("open-error").textContent = "";
    if (!id) {
      $("open-error").textContent = "Indiquez l'identifiant de la conversation.";
      return;
    }
    conversation = id;
    reference = ref || null;
    nextIndex = 0;
    clear(log);
    clearSuggestions();
    await loadCase();
    await poll();
    stopPolling();
    polling = window.setInterval(poll, POLL_MS);
    reply.focus();
  });

  function stopPolling() {
    if (polling !== null) window.clearInterval(polling);
    polling = null;
  }

  async function poll() {
    if (!conversation || pollBusy) return;
    pollBusy = true;
    try {
      const data = await call("conversation/" + encodeURIComponent(conversation) + "?since=" + nextIndex);
      let latestDebtor = null;
      for (const turn of data.turns) {
        appendTurn(turn);
        nextIndex = Math.max(nextIndex, turn.index + 1);
        if (turn.speaker === "debtor" && turn.assist) latestDebtor = turn;
      }
      if (latestDebtor) showAssist(latestDebtor.assist);
    } catch (error) {
      if (error.status !== 401) $("open-error").textContent = error.message;
    } finally {
      pollBusy = false;
    }
  }

  function appendTurn(turn) {
    const item = element("div", "turn turn-" + turn.speaker);
    item.dataset.index = String(turn.index);
    item.appendChild(element("span", "speaker", SPEAKERS[turn.speaker] || turn.speaker));
    item.appendChild(element("p", "turn-text", turn.text));
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
  }

  $("debtor-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const field = $("debtor-text");
    const text = field.value.trim();
    if (!conversation) {
      $("open-error").textContent = "Ouvrez d'abord une conversation.";
      return;
    }
    if (!text) return;
    try {
      await call("debtor", { body: { conversation_id: conversation, text: text, case_reference: reference } });
      field.value = "";
      await poll();
    } catch (error) {
      if (error.status !== 401) $("open-error").textContent = error.message;
    }
  });

  // --- suggestions ---------------------------------------------------------------------------------------
  function clearSuggestions() {
    clear($("alerts"));
    clear($("suggestions"));
    $("reading").textContent = "";
    $("no-suggestion").hidden = false;
  }

  function showAssist(assist) {
    clearSuggestions();
    for (const alert of assist.alerts || []) {
      $("alerts").appendChild(element("li", "alert alert-" + alert.kind, alert.text));
    }
    const intent = (assist.intent || "inconnue").replace(/_/g, " ");
    const confidence = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 2 }).format(assist.confidence || 0);
    $("reading").textContent =
      "Lecture : " + intent + " · émotion : " + (assist.emotion || "neutre") + " · confiance " + confidence;
    const list = $("suggestions");
    for (const suggestion of assist.suggestions || []) {
      const card = element("li", "suggestion suggestion-" + suggestion.kind);
      card.appendChild(element("span", "suggestion-kind", KIND_LABELS[suggestion.kind] || suggestion.kind));
      card.appendChild(element("p", "suggestion-text", suggestion.text));
      const insert = element("button", "secondary insert", "Insérer");
      insert.type = "button";
      insert.addEventListener("click", () => insertText(suggestion.text));
      card.appendChild(insert);
      list.appendChild(card);
    }
    $("no-suggestion").hidden = list.children.length > 0;
  }

  function insertText(text) {
    const current = reply.value.trim();
    reply.value = current ? current + " " + text : text;
    reply.focus();
    scheduleCheck();
  }

  // --- draft check and sending ---------------------------------------------------------------------------
  function scheduleCheck() {
    if (checkTimer !== null) window.clearTimeout(checkTimer);
    checkTimer = window.setTimeout(checkDraft, CHECK_DELAY_MS);
  }

  function showVerdict(result) {
    clear(verdict);
    verdict.className = "verdict " + (result.compliant ? "ok" : "blocked");
    const act = ACT_LABELS[result.act] || result.act;
    if (result.compliant) {
      verdict.appendChild(element("span", null, "Conforme · acte : " + act));
    } else {
      verdict.appendChild(element("strong", null, "À reformuler · acte : " + act));
      const reasons = element("ul", "reasons");
      for (const reason of result.reasons || []) reasons.appendChild(element("li", null, reason));
      verdict.appendChild(reasons);
    }
    rewrite.hidden = !result.rewrite;
    rewriteText.textContent = result.rewrite || "";
  }

  async function checkDraft() {
    checkTimer = null;
    const text = reply.value.trim();
    const seq = ++checkSeq;
    if (!text || !conversation) {
      clear(verdict);
      verdict.className = "verdict";
      rewrite.hidden = true;
      return;
    }
    try {
      const result = await call("agent", { body: { conversation_id: conversation, text: text, send: false } });
      if (seq === checkSeq) showVerdict(result);
    } catch (error) {
      if (error.status !== 401) $("send-error").textContent = error.message;
    }
  }

  reply.addEventListener("input", scheduleCheck);

  $("use-rewrite").addEventListener("click", () => {
    reply.value = rewriteText.textContent;
    reply.focus();
    scheduleCheck();
  });

  $("reply-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    $("send-error").textContent = "";
    const text = reply.value.trim();
    if (!conversation) {
      $("send-error").textContent = "Ouvrez d'abord une conversation.";
      return;
    }
    if (!text) {
      $("send-error").textContent = "Votre réponse est vide.";
      return;
    }
    send.disabled = true;
    try {
      const result = await call("agent", { body: { conversation_id: conversation, text: text, send: true } });
      if (result.sent) {
        reply.value = "";
        clear(verdict);
        verdict.className = "verdict";
        rewrite.hidden = true;
        await poll();
      } else {
        showVerdict(result);
        $("send-error").textContent = "Message non envoyé : il doit d'abord être reformulé.";
      }
    } catch (error) {
      if (error.status !== 401) $("send-error").textContent = error.message;
    } finally {
      send.disabled = false;
    }
  });

  // --- case panel ----------------------------------------------------------------------------------------
  function definition(list, term, value) {
    list.appendChild(element("dt", null, term));
    list.appendChild(element("dd", null, value));
  }

  async function loadCase() {
    const panel = $("case");
    clear(panel);
    if (!reference) {
      panel.appendChild(element("p", "muted", "Aucun dossier rattaché à cette conversation."));
      return;
    }
    let data;
    try {
      data = await call("case/" + encodeURIComponent(reference));
    } catch (error) {
      panel.appendChild(element("p", "error", error.message));
      return;
    }
    const summary = element("dl", "case-summary");
    definition(summary, "Référence", data.reference);
    definition(summary, "Débiteur", data.debtor);
    definition(summary, "Créancier", data.creditor + " (" + data.nature + ")");
    definition(summary, "Montant dû", data.amount_due);
    definition(summary, "Échéance", data.due_date);
    definition(summary, "Statut", data.status);
    definition(summary, "Profil", data.profile.label + " — " + data.profile.tone);
    panel.appendChild(summary);

    panel.appendChild(element("h3", null, "Décomposition"));
    const breakdown = element("dl", "breakdown");
    for (const line of data.breakdown) definition(breakdown, line.label, line.amount);
    panel.appendChild(breakdown);

    panel.appendChild(element("h3", null, "Accords"));
    if (!data.arrangements.length) panel.appendChild(element("p", "muted", "Aucun accord."));
    for (const arrangement of data.arrangements) {
      const block = element("div", "arrangement");
      block.appendChild(
        element("p", null, arrangement.kind + " · " + arrangement.status + " · " + arrangement.total)
      );
      const lines = element("ul", "schedule");
      for (const line of arrangement.lines) {
        lines.appendChild(element("li", null, line.date + " : " + line.amount + (line.paid ? " (réglé)" : "")));
      }
      block.appendChild(lines);
      panel.appendChild(block);
    }
    if (data.disputes.length) {
      panel.appendChild(element("h3", null, "Contestations"));
      const disputes = element("ul", null);
      for (const dispute of data.disputes) {
        disputes.appendChild(element("li", null, dispute.date + " : " + dispute.reason + " (" + dispute.status + ")"));
      }
      panel.appendChild(disputes);
    }
    panel.appendChild(element("h3", null, "Historique"));
    const history = element("ul", "history");
    for (const line of data.history) {
      history.appendChild(element("li", null, line.date + " · " + line.label + (line.text ? " : " + line.text : "")));
    }
    if (!data.history.length) history.appendChild(element("li", "muted", "Aucun événement."));
    panel.appendChild(history);
  }

  // --- start ---------------------------------------------------------------------------------------------
  if (token()) {
    call("session").then(showWorkspace, () => {});
  } else {
    showLogin("");
  }
})();
