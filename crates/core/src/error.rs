//! Errors as the user sees them: every input problem becomes a
//! [`Diagnostic`] that names the file, line, column and key, says what was
//! expected and, where it can, how to fix it. Input errors exit with status 2,
//! every other failure with status 1.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// Text that a diagnostic points into: a scenario file, or a `--set` argument.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceText {
    /// How the user knows this text: a path, `embedded:<name>` or `--set`.
    pub origin: String,
    /// The text itself.
    pub text: Arc<str>,
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
    pub location: Option<Box<(SourceText, Range<usize>)>>,
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

    /// A suggestion for fixing it.
    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Where the problem is: bytes `span` of `source`.
    pub fn at(mut self, source: &SourceText, span: Range<usize>) -> Diagnostic {
        self.origin = Some(source.origin.clone());
        self.location = Some(Box::new((source.clone(), span)));
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
    pub fn line_column(&self) -> Option<(usize, usize)> {
        let (source, span) = self.location.as_deref()?;
        let before = &source.text[..span.start.min(source.text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Some((line, column))
    }

    /// The one-line statement of the problem: key and message.
    pub fn title(&self) -> String {
        match &self.key {
            Some(key) => format!("`{key}`: {}", self.message),
            None => self.message.clone(),
        }
    }

    /// The diagnostic as rustc-style text with the offending line and a caret.
    pub fn render(&self) -> String {
        let title = self.title();
        let Some((source, span)) = self.location.as_deref() else {
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
        let group = Group::with_title(Level::ERROR.primary_title(&title)).element(
            Snippet::source(&*source.text)
                .path(&source.origin)
                .annotation(
                    AnnotationKind::Primary
                        .span(clamp_span(&source.text, span.clone()))
                        .label(&self.message),
                ),
        );
        let mut report = vec![group];
        if let Some(help) = &self.help {
            report.push(Group::with_title(Level::HELP.secondary_title(help)));
        }
        Renderer::plain().render(&report).to_string()
    }
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
        .map(|word| {
            let chars = word.chars().count();
            if chars > KEPT_WORD_CHARS {
                let start: String = word.chars().take(KEPT_WORD_CHARS).collect();
                format!("{start}… ({chars} characters)")
            } else {
                word.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
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
    /// Anything else: I/O, a failed thread pool.
    Failure(String),
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
        Error::Failure(message.into())
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
            Error::Failure(message) => write!(f, "error: {message}"),
            Error::Interrupted => write!(f, "interrupted; no results were written"),
        }
    }
}

impl std::error::Error for Error {}

/// A result whose error is [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(diagnostic.line_column(), Some((2, 11)));
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
