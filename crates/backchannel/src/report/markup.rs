//! HTML as a type. An [`Html`] holds markup this crate wrote and text it
//! escaped, so no page can take text a user wrote (a scenario's name, a
//! `--set` value, a file's path) as markup: [`Html::text`] is the one
//! place a page escapes text. Writing into an `Html` cannot fail, so
//! `write!` and `writeln!` into one return nothing to ignore.

use std::fmt;

/// Markup this crate wrote, with every piece of text in it escaped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Html(String);

/// `html!("<td>{}</td>", cell)`: an [`Html`] from a literal format string
/// whose arguments are `Html` or numbers (text goes through
/// [`Html::text`]).
macro_rules! html {
    ($($arg:tt)*) => {
        $crate::report::markup::Html::markup(::std::format!($($arg)*))
    };
}
pub(crate) use html;

impl Html {
    pub fn new() -> Html {
        Html(String::new())
    }

    /// Text, escaped for element content and attribute values.
    pub fn text(text: &str) -> Html {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&#39;"),
                c => out.push(c),
            }
        }
        Html(out)
    }

    /// Markup this crate wrote: tags from a literal, an SVG it drew.
    pub fn markup(markup: impl Into<String>) -> Html {
        Html(markup.into())
    }

    /// Append formatted markup, as `write!` and `writeln!` call it.
    pub fn write_fmt(&mut self, args: fmt::Arguments<'_>) {
        // Formatting into a String fails only if an argument's `Display`
        // does, and none of the arguments given here do.
        let _ = fmt::Write::write_fmt(&mut self.0, args);
    }

    /// Append markup from a literal.
    pub fn push_markup(&mut self, markup: &str) {
        self.0.push_str(markup);
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// Markup is written as it is: it was escaped when it was made.
impl fmt::Display for Html {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_markup_kept() {
        assert_eq!(Html::text("a<b>&\"c'").to_string(), "a&lt;b&gt;&amp;&quot;c&#39;");
        let mut page = html!("<p>{}</p>", Html::text("1 < 2"));
        writeln!(page, "<i>{}</i>", 3);
        assert_eq!(page.to_string(), "<p>1 &lt; 2</p><i>3</i>\n");
    }
}
