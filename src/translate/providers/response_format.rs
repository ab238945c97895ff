//! How an `openai` endpoint asks for structured answers (`response-format`), and the
//! negotiation that finds the form a server accepts.
//!
//! OpenAI-compatible servers differ in the `response_format` they take: OpenAI, llama.cpp's
//! `llama-server`, vLLM and Ollama take `{"type":"json_schema",…}`; llama-cpp-python's server
//! refuses it but takes `{"type":"json_object","schema":…}`; others take only `json_object`,
//! or nothing at all. With `auto` (the default) a run starts from the strictest form (or from
//! the one remembered for this endpoint) and steps down when the server refuses it: a refusal
//! is never retried as a passing failure, and a form is never stepped back up to within a run.
//! [`Negotiation`] holds that state for the requests in flight; it decides, it does not send.

use std::sync::Mutex;

/// One form of asking for JSON, strictest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ResponseFormat {
    /// `{"type":"json_schema","json_schema":{"name":…,"strict":true,"schema":…}}` (OpenAI's
    /// structured outputs).
    JsonSchema,
    /// `{"type":"json_object","schema":…}` (llama-cpp-python, older llama.cpp).
    JsonObjectSchema,
    /// `{"type":"json_object"}`: any JSON object, the schema only in the prompt.
    JsonObject,
    /// No `response_format`: JSON asked for in the prompt only, read leniently.
    None,
}

impl ResponseFormat {
    /// Every form, strictest first: the order `auto` steps down in.
    pub const ALL: [ResponseFormat; 4] = [
        ResponseFormat::JsonSchema,
        ResponseFormat::JsonObjectSchema,
        ResponseFormat::JsonObject,
        ResponseFormat::None,
    ];

    /// The name in `selaras.toml` and in summaries.
    pub fn as_str(self) -> &'static str {
        match self {
            ResponseFormat::JsonSchema => "json-schema",
            ResponseFormat::JsonObjectSchema => "json-object-schema",
            ResponseFormat::JsonObject => "json-object",
            ResponseFormat::None => "none",
        }
    }

    /// The form named `name` (as [`ResponseFormat::as_str`] writes it).
    pub fn from_name(name: &str) -> Option<ResponseFormat> {
        ResponseFormat::ALL
            .into_iter()
            .find(|form| form.as_str() == name)
    }

    /// The next, looser form; `None` after the loosest.
    pub fn next(self) -> Option<ResponseFormat> {
        let index = ResponseFormat::ALL.iter().position(|form| *form == self)?;
        ResponseFormat::ALL.get(index + 1).copied()
    }
}

/// The `response-format` setting of an endpoint: one form, or `auto`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ResponseFormatSetting {
    /// Start from `json-schema` (or the form remembered for the endpoint) and step down
    /// while the server refuses.
    #[default]
    Auto,
    /// Always this form; a refusal stops the run.
    Fixed(ResponseFormat),
}

impl ResponseFormatSetting {
    /// Reads `auto` or a form name; the error lists the accepted values.
    pub fn parse(text: &str) -> Result<Self, String> {
        if text == "auto" {
            return Ok(ResponseFormatSetting::Auto);
        }
        ResponseFormat::from_name(text)
            .map(ResponseFormatSetting::Fixed)
            .ok_or_else(|| {
                format!(
                    "{text:?} is not one of auto, {}",
                    ResponseFormat::ALL.map(ResponseFormat::as_str).join(", ")
                )
            })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ResponseFormatSetting::Auto => "auto",
            ResponseFormatSetting::Fixed(form) => form.as_str(),
        }
    }
}

/// What a failed request says about the form it was sent with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The server named the format (`response_format`, `json_schema`, `schema`, …) in a 400,
    /// 422 or 500: it does not take this form.
    Named,
    /// A 400 or 422 that names nothing: the format may explain it, or something else may.
    Unexplained,
    /// A failure that has nothing to do with the format (a timeout, a context limit, a key).
    Unrelated,
}

/// What the provider does after a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Send the same request again with [`Negotiation::current`].
    Resend,
    /// Return the error to the orchestrator.
    Fail,
}

/// The forms an endpoint went through in a run: what a summary says.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FormatOutcome {
    /// The form of the last request (the one that worked, when `confirmed`).
    pub used: ResponseFormat,
    /// True once an answer came back with `used`.
    pub confirmed: bool,
    /// Forms the server refused during this run, strictest first.
    pub refused: Vec<ResponseFormat>,
    /// The setting was `auto`.
    pub auto: bool,
}

#[derive(Debug)]
struct State {
    current: ResponseFormat,
    confirmed: bool,
    refused: Vec<ResponseFormat>,
    /// While unexplained failures are being tried against looser forms: the form before the
    /// first of them, restored when even `none` fails the same way (then it was not the format).
    probe_origin: Option<ResponseFormat>,
    /// The unexplained-failure probe has run once; it never runs again in this run.
    probed: bool,
}

/// The form negotiation of one endpoint for one run, shared by its requests in flight.
#[derive(Debug)]
pub struct Negotiation {
    auto: bool,
    state: Mutex<State>,
}

impl Negotiation {
    /// A negotiation for `setting`: `auto` starts from `json-schema`.
    pub fn new(setting: ResponseFormatSetting) -> Self {
        let (auto, current) = match setting {
            ResponseFormatSetting::Auto => (true, ResponseFormat::JsonSchema),
            ResponseFormatSetting::Fixed(form) => (false, form),
        };
        Negotiation {
            auto,
            state: Mutex::new(State {
                current,
                confirmed: false,
                refused: Vec::new(),
                probe_origin: None,
                probed: false,
            }),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }

    /// True when the setting is `auto`.
    pub fn is_auto(&self) -> bool {
        self.auto
    }

    /// The form the next request is sent with.
    pub fn current(&self) -> ResponseFormat {
        self.state().current
    }

    /// Starts from `remembered` (the form that worked last time) instead of `json-schema`:
    /// only with `auto`, and only before any request.
    pub fn resume_from(&self, remembered: ResponseFormat) {
        if self.auto {
            self.state().current = remembered;
        }
    }

    /// An answer came back. A request still in flight with a stricter form may answer
    /// after a looser one was chosen: the run still never steps back up.
    pub fn accepted(&self) {
        let mut state = self.state();
        state.confirmed = true;
        state.probe_origin = None;
        state.probed = true;
    }

    /// A request sent with `form` failed as `refusal` says: resend with the (possibly
    /// looser) current form, or fail. Bounded: every [`Next::Resend`] follows a step to a
    /// strictly looser form, so one request is sent at most four times.
    pub fn refused(&self, form: ResponseFormat, refusal: Refusal) -> Next {
        if !self.auto {
            return Next::Fail;
        }
        let mut state = self.state();
        match refusal {
            Refusal::Unrelated => Next::Fail,
            // no format was sent: the server cannot be refusing one
            Refusal::Named | Refusal::Unexplained if form == ResponseFormat::None => {
                if let Some(origin) = state.probe_origin.take() {
                    // looser and looser forms all failed alike: not the format's fault
                    state.current = origin;
                    state.refused.retain(|refused| *refused < origin);
                    state.probed = true;
                }
                Next::Fail
            }
            Refusal::Named => {
                if !state.refused.contains(&form) {
                    state.refused.push(form);
                    state.refused.sort();
                }
                step_down(&mut state, form);
                Next::Resend
            }
            Refusal::Unexplained => {
                if state.confirmed || (state.probed && state.probe_origin.is_none()) {
                    return Next::Fail;
                }
                state.probe_origin.get_or_insert(form);
                if !state.refused.contains(&form) {
                    state.refused.push(form);
                    state.refused.sort();
                }
                step_down(&mut state, form);
                Next::Resend
            }
        }
    }

    /// What happened so far.
    pub fn outcome(&self) -> FormatOutcome {
        let state = self.state();
        FormatOutcome {
            used: state.current,
            confirmed: state.confirmed,
            refused: state.refused.clone(),
            auto: self.auto,
        }
    }
}

/// Moves `current` past `form` when no other request has moved it further already.
fn step_down(state: &mut State, form: ResponseFormat) {
    if state.current <= form
        && let Some(next) = form.next()
    {
        state.current = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ResponseFormat::*;

    #[test]
    fn names_round_trip_and_auto_is_the_default() {
        for form in ResponseFormat::ALL {
            assert_eq!(ResponseFormat::from_name(form.as_str()), Some(form));
            assert_eq!(
                ResponseFormatSetting::parse(form.as_str()),
                Ok(ResponseFormatSetting::Fixed(form))
            );
        }
        assert_eq!(
            ResponseFormatSetting::parse("auto"),
            Ok(ResponseFormatSetting::Auto)
        );
        assert_eq!(
            ResponseFormatSetting::default(),
            ResponseFormatSetting::Auto
        );
        let error = ResponseFormatSetting::parse("json_schema").unwrap_err();
        assert!(
            error.contains("auto, json-schema, json-object-schema, json-object, none"),
            "{error}"
        );
        assert_eq!(None.next(), Option::None);
        assert_eq!(JsonSchema.next(), Some(JsonObjectSchema));
    }

    #[test]
    fn auto_steps_down_past_named_refusals_and_never_back_up() {
        let negotiation = Negotiation::new(ResponseFormatSetting::Auto);
        assert_eq!(negotiation.current(), JsonSchema);
        assert_eq!(
            negotiation.refused(JsonSchema, Refusal::Named),
            Next::Resend
        );
        assert_eq!(negotiation.current(), JsonObjectSchema);
        // a second request in flight with the refused form: no further step
        assert_eq!(
            negotiation.refused(JsonSchema, Refusal::Named),
            Next::Resend
        );
        assert_eq!(negotiation.current(), JsonObjectSchema);
        negotiation.accepted();
        // a late answer to a stricter form does not step back up
        negotiation.accepted();
        let outcome = negotiation.outcome();
        assert_eq!(
            outcome,
            FormatOutcome {
                used: JsonObjectSchema,
                confirmed: true,
                refused: vec![JsonSchema],
                auto: true
            }
        );
        // unrelated failures never move the form
        assert_eq!(
            negotiation.refused(JsonObjectSchema, Refusal::Unrelated),
            Next::Fail
        );
        assert_eq!(negotiation.current(), JsonObjectSchema);
    }

    #[test]
    fn every_form_refused_ends_at_none_and_fails_there() {
        let negotiation = Negotiation::new(ResponseFormatSetting::Auto);
        let mut sent = Vec::new();
        loop {
            let form = negotiation.current();
            sent.push(form);
            if negotiation.refused(form, Refusal::Named) == Next::Fail {
                break;
            }
            assert!(sent.len() <= 4, "unbounded: {sent:?}");
        }
        assert_eq!(sent, ResponseFormat::ALL);
        assert_eq!(negotiation.current(), None);
    }

    #[test]
    fn a_fixed_form_is_never_changed() {
        let negotiation = Negotiation::new(ResponseFormatSetting::Fixed(JsonObject));
        negotiation.resume_from(None);
        assert_eq!(negotiation.current(), JsonObject);
        assert_eq!(negotiation.refused(JsonObject, Refusal::Named), Next::Fail);
        assert_eq!(negotiation.current(), JsonObject);
        assert!(!negotiation.outcome().auto);
    }

    #[test]
    fn unexplained_failures_probe_looser_forms_once_and_restore_when_the_format_was_not_it() {
        // the server fails every form alike: the probe ends at none, the form is restored
        let negotiation = Negotiation::new(ResponseFormatSetting::Auto);
        for form in [JsonSchema, JsonObjectSchema, JsonObject] {
            assert_eq!(negotiation.current(), form);
            assert_eq!(
                negotiation.refused(form, Refusal::Unexplained),
                Next::Resend
            );
        }
        assert_eq!(negotiation.refused(None, Refusal::Unexplained), Next::Fail);
        assert_eq!(negotiation.current(), JsonSchema);
        assert!(negotiation.outcome().refused.is_empty());
        // and the probe does not run again
        assert_eq!(
            negotiation.refused(JsonSchema, Refusal::Unexplained),
            Next::Fail
        );

        // the server takes json-object: the probe stops there and keeps it
        let negotiation = Negotiation::new(ResponseFormatSetting::Auto);
        assert_eq!(
            negotiation.refused(JsonSchema, Refusal::Unexplained),
            Next::Resend
        );
        assert_eq!(
            negotiation.refused(JsonObjectSchema, Refusal::Unexplained),
            Next::Resend
        );
        negotiation.accepted();
        assert_eq!(negotiation.current(), JsonObject);
        assert_eq!(
            negotiation.outcome().refused,
            vec![JsonSchema, JsonObjectSchema]
        );
        // after an answer, an unexplained 400 is the request's own fault
        assert_eq!(
            negotiation.refused(JsonObject, Refusal::Unexplained),
            Next::Fail
        );
    }

    #[test]
    fn a_remembered_form_is_where_auto_starts() {
        let negotiation = Negotiation::new(ResponseFormatSetting::Auto);
        negotiation.resume_from(JsonObjectSchema);
        assert_eq!(negotiation.current(), JsonObjectSchema);
        assert_eq!(
            negotiation.refused(JsonObjectSchema, Refusal::Named),
            Next::Resend
        );
        assert_eq!(negotiation.current(), JsonObject);
    }
}
