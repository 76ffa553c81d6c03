// Amiable role-play: the trainee (agent) talks to a simulated debtor; at the end, the scorecard.
// Texts are only ever set with textContent, never parsed as HTML.
"use strict";

(function () {
  const TOKEN_KEY = "amiable.console.token"; // the same access token as the agent console
  const root = document.querySelector("main.roleplay");
  const api = new URL(root.dataset.api + "/", document.baseURI).href;
  const $ = (id) => document.getElementById(id);
  const number = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 2 });
  const percent = new Intl.NumberFormat("fr-FR", { style: "percent", maximumFractionDigits: 0 });
  let session = null;
  let scenarioName = "";

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

  async function call(path, body, asText) {
    const init = { method: body === undefined ? "GET" : "POST", headers: { Authorization: "Bearer " + token() } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(api + path, init);
    } catch (_) {
      throw new Error("Le serveur ne répond pas. Vérifiez votre connexion.");
    }
    if (response.status === 401) {
      showLogin("Jeton refusé : reconnectez-vous.");
      throw new Error("Jeton refusé.");
    }
    if (asText && response.ok) return response.text();
    let data = null;
    try {
      data = await response.json();
    } catch (_) {
      data = null;
    }
    if (!response.ok) throw new Error((data && data.erreur) || "Erreur du serveur (" + response.status + ").");
    return data;
  }

  function show(id) {
    for (const section of ["login", "choose", "play"]) $(section).hidden = section !== id;
    $("logout").hidden = id === "login";
  }

  function showLogin(message) {
    const store = storage();
    if (store) store.removeItem(TOKEN_KEY);
    show("login");
    $("login-error").textContent = message || "";
    $("token").focus();
  }

  async function showScenarios() {
    show("choose");
    const list = $("scenarios");
    clear(list);
    try {
      const data = await call("scenarios");
      for (const scenario of data.scenarios) {
        const item = element("li", "scenario");
        item.appendChild(element("h3", null, scenario.title));
        item.appendChild(element("p", null, scenario.persona + " — " + scenario.situation));
        item.appendChild(element("p", "muted", "Réussite : " + scenario.goal));
        const start = element("button", null, "Jouer ce scénario");
        start.type = "button";
        start.dataset.scenario = scenario.id;
        start.addEventListener("click", () => begin(scenario.id));
        item.appendChild(start);
        list.appendChild(item);
      }
    } catch (error) {
      $("choose-error").textContent = error.message;
    }
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
    $("token").value = "";
    $("login-error").textContent = "";
    await showScenarios();
  });

  $("logout").addEventListener("click", () => showLogin("Vous êtes déconnecté."));

  function say(speaker, text) {
    const item = element("div", "turn turn-" + speaker);
    item.appendChild(element("span", "speaker", speaker === "debtor" ? scenarioName : "Vous"));
    item.appendChild(element("p", "turn-text", text));
    $("log").appendChild(item);
    $("log").scrollTop = $("log").scrollHeight;
  }

  async function begin(scenarioId) {
    $("choose-error").textContent = "";
    let data;
    try {
      data = await call("sessions", { scenario: scenarioId });
    } catch (error) {
      $("choose-error").textContent = error.message;
      return;
    }
    session = data.session;
    scenarioName = data.scenario.persona.split(",")[0];
    show("play");
    $("play-title").textContent = data.scenario.title;
    $("briefing").textContent = data.scenario.briefing;
    $("goal").textContent = "Réussite : " + data.scenario.goal;
    clear($("log"));
    $("scorecard").hidden = true;
    $("again").hidden = true;
    $("end").hidden = false;
    $("say").disabled = false;
    $("say-button").disabled = false;
    say("debtor", data.debtor);
    $("say").focus();
  }

  $("say-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const field = $("say");
    const text = field.value.trim();
    $("play-error").textContent = "";
    if (!text || !session) return;
    $("say-button").disabled = true;
    try {
      const data = await call("sessions/" + encodeURIComponent(session) + "/say", { text: text });
      field.value = "";
      say("trainee", text);
      say("debtor", data.debtor);
      if (data.ended) finish(data);
    } catch (error) {
      $("play-error").textContent = error.message;
    } finally {
      $("say-button").disabled = false;
      field.focus();
    }
  });

  $("end").addEventListener("click", async () => {
    if (!session) return;
    try {
      finish(await call("sessions/" + encodeURIComponent(session) + "/end", {}));
    } catch (error) {
      $("play-error").textContent = error.message;
    }
  });

  $("again").addEventListener("click", showScenarios);

  function measure(list, term, value) {
    list.appendChild(element("dt", null, term));
    list.appendChild(element("dd", null, value));
  }

  function finish(data) {
    const card = data.scorecard;
    $("say").disabled = true;
    $("say-button").disabled = true;
    $("end").hidden = true;
    $("again").hidden = false;
    $("scorecard").hidden = false;
    $("score").textContent = number.format(card.score) + " / 5";
    $("outcome").textContent =
      "Issue : " + card.outcome.label + (data.succeeded ? " — objectif atteint." : " — objectif non atteint.");
    const reasons = $("reasons");
    clear(reasons);
    for (const reason of card.reasons) reasons.appendChild(element("li", null, reason));
    const miti = card.miti;
    const measures = $("measures");
    clear(measures);
    const ratio = (value) => (value === null ? "—" : number.format(value));
    const share = (value) => (value === null ? "—" : percent.format(value));
    measure(measures, "Reflets / questions", ratio(miti.reflection_to_question));
    measure(measures, "Reflets complexes", share(miti.complex_reflection_share));
    measure(measures, "Questions ouvertes", share(miti.open_question_share));
    measure(measures, "Marques d'empathie", String(miti.empathy));
    const incidents = $("incidents");
    clear(incidents);
    for (const incident of card.pressure_incidents) {
      incidents.appendChild(element("li", null, "« " + incident.text + " » — " + incident.reason));
    }
    if (!card.pressure_incidents.length) incidents.appendChild(element("li", "muted", "Aucune. Bravo."));
    const annotated = $("annotated");
    clear(annotated);
    for (const turn of card.turns) {
      const item = element("li", "annotated-" + turn.speaker);
      if (turn.speaker === "agent") {
        for (const utterance of turn.utterances) {
          item.appendChild(element("span", "code code-" + utterance.code, utterance.label));
        }
      } else {
        item.appendChild(element("span", "code", "débiteur"));
      }
      item.appendChild(document.createTextNode(turn.text));
      annotated.appendChild(item);
    }
    $("scorecard").scrollIntoView({ block: "start" });
  }

  $("download").addEventListener("click", async () => {
    if (!session) return;
    try {
      const page = await call("sessions/" + encodeURIComponent(session) + "/scorecard", undefined, true);
      const link = element("a");
      link.href = URL.createObjectURL(new Blob([page], { type: "text/html" }));
      link.download = "fiche-jeu-de-role.html";
      document.body.appendChild(link);
      link.click();
      link.remove();
    } catch (error) {
      $("play-error").textContent = error.message;
    }
  });

  if (token()) {
    showScenarios();
  } else {
    showLogin("");
  }
})();
