//! Errors as the user sees them: every input problem becomes a
//! [`Diagnostic`] that names the file, line, column and key, says what was
//! expected and, where it can, how to fix it. Input errors exit with status 2,
//! every other failure with status 1.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// Text that a diagnostic points into: a scenario file, or a value set on
/// one (`Scenario::with_values`).
#[derive(Debug, Clone, PartialEq)]
pub struct SourceText {
    /// How the user knows this text: a path, `embedded:<name>`, or the
    /// setting [`VALUES`] (see [`setting`]) for a value set on a scenario.
    pub origin: String,
    /// The text itself.
    pub text: Arc<str>,
}

/// Where a problem is: bytes `span` of `source`.
#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    /// The text the problem is in.
    pub source: SourceText,
    /// The bytes of `source` it is about.
    pub span: Range<usize>,
}

/// A place in a text, as an editor shows it: both from 1, the column
/// counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineColumn {
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1, in characters.
    pub column: usize,
}

/// One problem with the user's input.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// The dotted key the problem is about, when there is one.
    pub key: Option<String>,
    /// What is wrong, and what was expected.
    pub message: String,
    /// How to fix it, when there is a suggestion.
    pub help: Option<String>,
    /// Where in which text, when the problem has a place.
    pub location: Option<Box<Location>>,
    /// The file the problem belongs to, when there is no span to show.
    pub origin: Option<String>,
    /// How many problems this diagnostic stands for: 1, or the number of
    /// problems a "more problems not shown" line counts.
    pub problems: usize,
}

impl Diagnostic {
    /// A problem described by `message`, not yet located.
    pub fn new(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            key: None,
            message: shortened(message.into()),
            help: None,
            location: None,
            origin: None,
            problems: 1,
        }
    }

    /// The key the problem is about.
    pub fn key(mut self, key: impl Into<String>) -> Diagnostic {
        self.key = Some(key.into());
        self
    }

    /// The problem is about the study setting `name` (see [`setting`]).
    pub fn setting(self, name: &str) -> Diagnostic {
        self.key(setting(name))
    }

    /// This diagnostic with the study settings it names written in
    /// `words` (the command line's flags, Python's keyword arguments).
    pub fn in_words(mut self, words: &dyn SettingWords) -> Diagnostic {
        self.key = self.key.map(|key| in_words(&key, words, true));
        self.origin = self.origin.map(|origin| in_words(&origin, words, true));
        if let Some(location) = self.location.as_mut() {
            location.source.origin = in_words(&location.source.origin, words, true);
        }
        self.message = in_words(&self.message, words, false);
        self.help = self.help.map(|help| in_words(&help, words, false));
        self
    }

    /// A suggestion for fixing it.
    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Where the problem is: bytes `span` of `source`.
    pub fn at(mut self, source: &SourceText, span: Range<usize>) -> Diagnostic {
        self.origin = Some(source.origin.clone());
        self.location = Some(Box::new(Location {
            source: source.clone(),
            span,
        }));
        self
    }

    /// Make this diagnostic stand for `problems` problems (a summary of
    /// those not shown).
    pub fn standing_for(mut self, problems: usize) -> Diagnostic {
        self.problems = problems;
        self
    }

    /// The file the problem belongs to, when there is no place to show.
    pub fn origin(mut self, origin: impl Into<String>) -> Diagnostic {
        self.origin = Some(origin.into());
        self
    }

    /// Line and column (1-based) of the start of the span, if any.
    pub fn line_column(&self) -> Option<LineColumn> {
        let Location { source, span } = self.location.as_deref()?;
        let before = &source.text[..span.start.min(source.text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Some(LineColumn { line, column })
    }

    /// The one-line statement of the problem: key and message (settings
    /// in the library's words unless written already, see
    /// [`in_words`](Diagnostic::in_words)).
    pub fn title(&self) -> String {
        let this = self.clone().in_words(&SetterWords);
        match &this.key {
            Some(key) => format!("`{key}`: {}", this.message),
            None => this.message,
        }
    }

    /// The diagnostic as rustc-style text with the offending line and a
    /// caret (settings in the library's words unless written already).
    pub fn render(&self) -> String {
        let this = self.clone().in_words(&SetterWords);
        this.rendered()
    }

    fn rendered(&self) -> String {
        let Some(Location { source, span }) = self.location.as_deref() else {
            let title = self.title();
            // Nothing to point at: plain lines, without the empty snippet
            // gutter (` |`) a source excerpt would need.
            let mut text = format!("error: {title}\n");
            if let Some(origin) = &self.origin {
                text.push_str(&format!("note: in {origin}\n"));
            }
            if let Some(help) = &self.help {
                text.push_str(&format!("help: {help}\n"));
            }
            return text.trim_end().to_string();
        };
        // The source line shows the offending text (cut to fit), so the
        // title and the label give only the length of a long value: it is
        // printed once.
        let message = without_long_words(&self.message);
        let title = match &self.key {
            Some(key) => format!(
                "`{}`: {message}",
                without_long_words(&shortened(key.clone()))
            ),
            None => message.clone(),
        };
        let group = Group::with_title(Level::ERROR.primary_title(&title)).element(
            Snippet::source(&*source.text)
                .path(&source.origin)
                .annotation(
                    AnnotationKind::Primary
                        .span(clamp_span(&source.text, span.clone()))
                        .label(&message),
                ),
        );
        let mut report = vec![group];
        if let Some(help) = &self.help {
            report.push(Group::with_title(Level::HELP.secondary_title(help)));
        }
        Renderer::plain().render(&report).to_string()
    }
}

/// The setting that sets values on a scenario, by key (`with_values`; the
/// command line's `--set`), as [`setting`] and [`setting_value`] name it.
pub const VALUES: &str = "with_values";

/// Marks the start of a study setting named in a diagnostic's text.
const SETTING_OPEN: char = '\u{1}';
/// Separates a marked setting's name from the value suggested for it.
const SETTING_VALUE: char = '\u{1f}';
/// Marks the end of a marked setting.
const SETTING_CLOSE: char = '\u{2}';

/// A study setting (`runs`, `runs_per_world`: a builder's setter) named in
/// a diagnostic's message or help, to be written in the words of whoever
/// shows it ([`SettingWords`]): `--runs` on the command line, `runs=` in
/// Python, `runs` for the library. Marked in the text by two control
/// characters, which no text a diagnostic shows keeps, so it survives
/// `format!`.
pub fn setting(name: &str) -> String {
    format!("{SETTING_OPEN}{name}{SETTING_CLOSE}")
}

/// A study setting with the value suggested for it: `--runs 200` on the
/// command line, `runs=200` in Python, `runs(200)` for the library.
pub fn setting_value(name: &str, value: impl fmt::Display) -> String {
    format!("{SETTING_OPEN}{name}{SETTING_VALUE}{value}{SETTING_CLOSE}")
}

/// How one kind of reader names a study's settings (see [`setting`]).
pub trait SettingWords {
    /// The setting `name` as a diagnostic's key.
    fn key(&self, name: &str) -> String;
    /// The setting `name` in a sentence, with the `value` suggested for it.
    fn text(&self, name: &str, value: Option<&str>) -> String;
}

/// The library's own words: a builder's setter, `runs` or `runs(200)`.
#[derive(Debug, Clone, Copy)]
pub struct SetterWords;

impl SettingWords for SetterWords {
    fn key(&self, name: &str) -> String {
        name.to_string()
    }

    fn text(&self, name: &str, value: Option<&str>) -> String {
        match value {
            Some(value) => format!("{name}({value})"),
            None => format!("`{name}`"),
        }
    }
}

/// A note for the user that may name study settings, marked as
/// diagnostics mark them ([`setting`], [`setting_value`]): what happened
/// and which setting, with the words chosen by whoever shows it
/// ([`Note::in_words`]: the command line's flags in result files, pages
/// and on the screen). `Display` writes it in the library's own words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note(String);

impl Note {
    /// A note of `text`, its settings marked by [`setting`] or
    /// [`setting_value`].
    pub fn new(text: impl Into<String>) -> Note {
        Note(text.into())
    }

    /// The note with the settings it names written in `words`.
    pub fn in_words(&self, words: &dyn SettingWords) -> String {
        in_words(&self.0, words, false)
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.in_words(&SetterWords))
    }
}

/// `text` with every setting marked by [`setting`] written in `words`
/// (as a key when `as_key`); a mark cut short is dropped.
fn in_words(text: &str, words: &dyn SettingWords, as_key: bool) -> String {
    if !text.contains(SETTING_OPEN) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find(SETTING_OPEN) {
        out.push_str(&rest[..open]);
        let marked = &rest[open + SETTING_OPEN.len_utf8()..];
        let Some(close) = marked.find(SETTING_CLOSE) else {
            rest = marked;
            break;
        };
        let (name, value) = match marked[..close].split_once(SETTING_VALUE) {
            Some((name, value)) => (name, Some(value)),
            None => (&marked[..close], None),
        };
        out.push_str(&match (as_key, value) {
            (true, None) => words.key(name),
            _ => words.text(name, value),
        });
        rest = &marked[close + SETTING_CLOSE.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// A message longer than this has its long words shortened.
const MAX_MESSAGE_CHARS: usize = 300;
/// The characters a shortened word keeps.
const KEPT_WORD_CHARS: usize = 40;

/// `message` with every word (a run without spaces) of more than
/// [`KEPT_WORD_CHARS`] characters cut to its start and its length, when
/// the message is long: a 120 KB value echoed by a parser (`unknown variant
/// `xxx…``) would otherwise be printed whole in the title and again under
/// the caret. Short messages are kept as they are.
fn shortened(message: String) -> String {
    if message.chars().count() <= MAX_MESSAGE_CHARS {
        return message;
    }
    message
        .split(' ')
        .map(shortened_word)
        .collect::<Vec<_>>()
        .join(" ")
}

/// `word` cut to its first [`KEPT_WORD_CHARS`] characters and its length
/// (`xxx… (3003 characters)`) when it is longer.
fn shortened_word(word: &str) -> String {
    let chars = word.chars().count();
    if chars <= KEPT_WORD_CHARS {
        return word.to_string();
    }
    let start: String = word.chars().take(KEPT_WORD_CHARS).collect();
    format!("{start}{SHORTENED} ({chars} characters)")
}

/// What ends the start of a shortened word.
const SHORTENED: char = '…';

/// `text` with each word [`shortened_word`] cut reduced to its opening
/// quote and its length (`` `… (3003 characters) ``): for a located
/// problem, whose source line shows the value itself.
fn without_long_words(text: &str) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    let mut kept = Vec::with_capacity(words.len());
    for (i, word) in words.iter().enumerate() {
        let counted = words.get(i + 1).is_some_and(|w| w.starts_with('('))
            && words.get(i + 2) == Some(&"characters)");
        if counted && word.ends_with(SHORTENED) && word.chars().count() > KEPT_WORD_CHARS {
            let quote: String = word.chars().take_while(|c| "`'\"[".contains(*c)).collect();
            kept.push(format!("{quote}{SHORTENED}"));
        } else {
            kept.push(word.to_string());
        }
    }
    kept.join(" ")
}

/// Keep a span inside the text and on character boundaries, so rendering
/// never panics on odd input.
fn clamp_span(text: &str, span: Range<usize>) -> Range<usize> {
    let mut start = span.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// Everything that can make a study fail. More kinds may be added: a
/// `match` keeps a `_` arm (reported as a failure).
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The user's input is wrong: one diagnostic per problem.
    Input(Vec<Diagnostic>),
    /// Anything else: I/O, a failed thread pool. What failed is said in
    /// words; the error that made it fail, if there is one, is kept as the
    /// [`source`](std::error::Error::source) (an [`std::io::Error`], ...).
    Failure {
        /// What could not be done: "cannot write output/a/summary.json".
        message: String,
        /// Why, when another error says so.
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// Stopped by its cancel flag: nothing was written.
    Interrupted,
}

impl Error {
    /// Bad input: one problem.
    pub fn input(diagnostic: Diagnostic) -> Error {
        Error::Input(vec![diagnostic])
    }

    /// Any other failure, in words.
    pub fn failure(message: impl Into<String>) -> Error {
        Error::Failure {
            message: message.into(),
            source: None,
        }
    }

    /// A failure to do what `message` says, because of `source` (kept as
    /// this error's source, and shown after the message).
    pub fn failed(
        message: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Error {
        Error::Failure {
            message: message.into(),
            source: Some(source.into()),
        }
    }
}

impl Error {
    /// This error with the study settings its diagnostics name written in
    /// `words` (see [`setting`]): how the command line and the Python
    /// package show it in their own terms.
    pub fn in_words(self, words: &dyn SettingWords) -> Error {
        match self {
            Error::Input(diagnostics) => {
                Error::Input(diagnostics.into_iter().map(|d| d.in_words(words)).collect())
            }
            other => other,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Input(diagnostics) => {
                for (i, diagnostic) in diagnostics.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{}", diagnostic.render())?;
                }
                let problems: usize = diagnostics.iter().map(|d| d.problems).sum();
                if problems > 1 {
                    write!(
                        f,
                        "\n\nerror: {problems} problems; nothing was run or written"
                    )?;
                }
                Ok(())
            }
            Error::Failure {
                message,
                source: None,
            } => write!(f, "error: {message}"),
            Error::Failure {
                message,
                source: Some(source),
            } => write!(f, "error: {message}: {source}"),
            Error::Interrupted => write!(f, "interrupted; no results were written"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Failure {
                source: Some(source),
                ..
            } => Some(source.as_ref()),
            _ => None,
        }
    }
}

/// A result whose error is [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    /// Settings as flags, as the command line writes them.
    struct Flags;

    impl SettingWords for Flags {
        fn key(&self, name: &str) -> String {
            format!("--{name}")
        }

        fn text(&self, name: &str, value: Option<&str>) -> String {
            match value {
                Some(value) => format!("--{name} {value}"),
                None => format!("--{name}"),
            }
        }
    }

    /// Issue 29: the library names a study's settings, never a flag; each
    /// reader writes them in its own words.
    #[test]
    fn settings_are_written_in_the_readers_words() {
        let diagnostic = Diagnostic::new(format!("too few for {}", setting("worlds")))
            .setting("runs")
            .help(format!("give {} or more", setting_value("runs", 200)));
        assert_eq!(
            diagnostic.render(),
            "error: `runs`: too few for `worlds`\nhelp: give runs(200) or more"
        );
        let error = Error::input(diagnostic).in_words(&Flags);
        assert_eq!(
            error.to_string(),
            "error: `--runs`: too few for --worlds\nhelp: give --runs 200 or more"
        );
        let Error::Input(diagnostics) = &error else {
            unreachable!("an input error stays one")
        };
        assert_eq!(diagnostics[0].key.as_deref(), Some("--runs"));
    }

    /// A value set on a scenario is pointed at as the reader sets it: the
    /// text's origin is a setting too.
    #[test]
    fn the_origin_of_a_value_set_is_written_in_the_readers_words() {
        let source = SourceText {
            origin: setting(VALUES),
            text: "format.mode".into(),
        };
        let diagnostic = Diagnostic::new("expected KEY=VALUE")
            .at(&source, 0..11)
            .help(format!(
                "e.g. {}",
                setting_value(VALUES, "format.mode=direct")
            ));
        let after = Diagnostic::new("expected a number")
            .origin(format!("a.toml (after {})", setting(VALUES)));
        let flags = diagnostic.clone().in_words(&Flags);
        assert_eq!(flags.origin.as_deref(), Some("--with_values"));
        let location = flags.location.as_deref().unwrap();
        assert_eq!(location.source.origin, "--with_values");
        assert_eq!(
            flags.help.as_deref(),
            Some("e.g. --with_values format.mode=direct")
        );
        assert!(diagnostic.render().contains("--> with_values:1:1"));
        assert_eq!(
            after.in_words(&SetterWords).origin.as_deref(),
            Some("a.toml (after with_values)")
        );
    }

    #[test]
    fn renders_path_line_column_and_caret() {
        let source = SourceText {
            origin: "a.toml".into(),
            text: "[scenario]\nhorizon = -3\n".into(),
        };
        let diagnostic = Diagnostic::new("expected a number of rounds")
            .key("scenario.horizon")
            .at(&source, 21..23)
            .help("use a positive number");
        assert_eq!(
            diagnostic.line_column(),
            Some(LineColumn {
                line: 2,
                column: 11
            })
        );
        let text = diagnostic.render();
        assert!(text.contains("a.toml:2:11"), "{text}");
        assert!(text.contains("^^"), "{text}");
        assert!(text.contains("help: use a positive number"), "{text}");
    }

    /// Issue 19: a message with no place to point at prints no empty
    /// snippet line (` |`).
    #[test]
    fn unlocated_messages_print_cleanly() {
        let text = Diagnostic::new("only 0 of 10 runs")
            .key("--given")
            .help("check the observations")
            .render();
        assert_eq!(
            text,
            "error: `--given`: only 0 of 10 runs\nhelp: check the observations"
        );
        let text = Diagnostic::new("cannot read").origin("x.toml").render();
        assert_eq!(text, "error: cannot read\nnote: in x.toml");
        assert!(!text.lines().any(|l| l.trim() == "|"));
    }

    #[test]
    fn a_huge_value_in_a_message_is_shortened() {
        let value = "x".repeat(120_000);
        let message = format!("unknown variant `{value}`, expected `direct` or `indirect`");
        let d = Diagnostic::new(message);
        assert_eq!(
            d.message,
            format!(
                "unknown variant `{}… (120003 characters) expected `direct` or `indirect`",
                "x".repeat(39)
            )
        );
        let short = "expected a probability in [0, 1], found 1.5";
        assert_eq!(Diagnostic::new(short).message, short);
    }

    /// Located, a long value is printed once: on its source line.
    #[test]
    fn a_huge_located_value_is_printed_once() {
        let value = "x".repeat(120_000);
        let source = SourceText {
            origin: "--set".into(),
            text: format!("format.mode={value}").into(),
        };
        let text = Diagnostic::new(format!("unknown variant `{value}`, expected `direct`"))
            .key("format.mode")
            .at(&source, 0..source.text.len())
            .render();
        let showing: Vec<&str> = text.lines().filter(|l| l.contains("xxxxx")).collect();
        assert_eq!(showing.len(), 1, "{text}");
        assert!(
            text.starts_with(
                "error: `format.mode`: unknown variant `… (120003 characters) expected `direct`"
            ),
            "{text}"
        );
    }

    #[test]
    fn spans_outside_the_text_do_not_panic() {
        let source = SourceText {
            origin: "b.toml".into(),
            text: "é".into(),
        };
        let text = Diagnostic::new("odd").at(&source, 1..99).render();
        assert!(text.contains("b.toml"));
    }
}
