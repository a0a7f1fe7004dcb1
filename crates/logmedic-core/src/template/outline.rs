//! The outline of a template across all its shapes: the wording every shape has, in order,
//! and between two words how many value tokens the shapes put there (fewest, most) and of
//! what kinds. A template joins shapes of different lengths (the same wording with more or
//! fewer values), so a pattern that must match every line of it is built from this.

use super::tokens::{field_name, kind, split_key, value_kind, UNIT, VAR};
use super::{show_token, ShapeStats};

/// One part of an [`Outline`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Wording, as shown (a field whose value varies reads `name=<*>`).
    Word(String),
    /// A run of value tokens: between `min` and `most` of them, of the [`kind`]s `kinds`.
    Values { min: u32, most: u32, kinds: u8 },
}

/// What a pattern matching every line of a template must allow.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Outline {
    /// Words and runs of values, alternating: a run before the first word, between every two
    /// words and after the last (a run of none where no shape has a value).
    pub parts: Vec<Part>,
    /// Some line separated its tokens with `|` or `,` as well as whitespace.
    pub wide_gaps: bool,
    /// Some word holds a letter and is not a unit: a pattern from it says which event it is.
    pub worded: bool,
}

/// One token of a shape key, with the kind of its value when it is one.
struct Token<'k> {
    text: &'k [u8],
    value: Option<u8>,
}

fn tokens_of(s: &ShapeStats) -> Vec<Token<'_>> {
    let mut kinds = s.kinds.iter();
    split_key(&s.key)
        .into_iter()
        .map(|text| {
            let value = (text == [VAR]).then(|| kinds.next().copied().unwrap_or(kind::OTHER));
            Token { text, value }
        })
        .collect()
}

/// A word of the outline under construction: its text in key form (`VAR` for a value).
fn same_word(word: &[u8], token: &[u8]) -> Option<Vec<u8>> {
    if word == token {
        return Some(word.to_vec());
    }
    // Values of one field (`user=root`, `user=<VAR>`): the name stays, the value varies.
    let name = field_name(word)?;
    (field_name(token) == Some(name)).then(|| [name, &[VAR]].concat())
}

/// Where each word of `words` is in `tokens`, matched greedily in order; `None` for a word
/// not found. A word that matches a field of another value becomes that field's variable.
fn align(words: &mut [Vec<u8>], tokens: &[Token<'_>]) -> Vec<Option<usize>> {
    let mut at = Vec::with_capacity(words.len());
    let mut next = 0;
    for word in words.iter_mut() {
        let found = (next..tokens.len()).find_map(|i| {
            let t = &tokens[i];
            if t.value.is_some() {
                return None;
            }
            same_word(word, t.text).map(|w| (i, w))
        });
        match found {
            Some((i, w)) => {
                *word = w;
                at.push(Some(i));
                next = i + 1;
            }
            None => at.push(None),
        }
    }
    at
}

/// The outline of the shapes of one template (the first is the template's first shape).
pub fn outline(shapes: &[&ShapeStats]) -> Outline {
    let tokens: Vec<Vec<Token<'_>>> = shapes.iter().map(|s| tokens_of(s)).collect();
    // The wording: the first shape's words, less those some shape lacks.
    let mut words: Vec<Vec<u8>> = tokens.first().map_or_else(Vec::new, |t| t.iter().filter(|t| t.value.is_none()).map(|t| t.text.to_vec()).collect());
    for t in &tokens {
        let at = align(&mut words, t);
        let mut found = at.iter();
        words.retain(|_| found.next().is_some_and(Option::is_some));
    }
    // The runs of values between them, over every shape.
    let mut runs: Vec<(u32, u32, u8)> = vec![(u32::MAX, 0, 0); words.len() + 1];
    for t in &tokens {
        let at: Vec<usize> = align(&mut words, t).into_iter().map(|i| i.expect("every word is in every shape")).collect();
        let mut from = 0;
        for (run, end) in runs.iter_mut().zip(at.iter().copied().chain([t.len()])) {
            let between = &t[from..end];
            run.0 = run.0.min(between.len() as u32);
            run.1 = run.1.max(between.len() as u32);
            for token in between {
                run.2 |= token.value.unwrap_or_else(|| value_kind(token.text));
            }
            from = end + 1;
        }
    }
    let mut parts = Vec::with_capacity(2 * words.len() + 1);
    for (i, (min, most, kinds)) in runs.into_iter().enumerate() {
        parts.push(Part::Values { min: min.min(most), most, kinds });
        if let Some(w) = words.get(i) {
            parts.push(Part::Word(show_token(w)));
        }
    }
    let wide_gaps = shapes.iter().any(|s| s.example.bytes().any(|b| b == b'|' || b == b','));
    let worded = words.iter().any(|w| w.first() != Some(&UNIT) && w.iter().any(u8::is_ascii_alphabetic));
    Outline { parts, wide_gaps, worded }
}
