//! The cleaner over real snippets. Unless marked otherwise, each input is taken from a
//! title, abstract or author list in the 10k arXiv sample (`shared/data/arxiv`, 2025–26
//! listings; the paper id is given), trimmed to the part that matters.

use super::*;

/// (input, cleaned text, formulas as the TeX inside them)
type Case = (&'static str, &'static str, &'static [&'static str]);

const CASES: &[Case] = &[
    // Accents (2503.14513, 2504.16264, 2504.19822, 2506.05991, 2508.10368, 2508.13872).
    (
        r"Fr\'echet Inception Distance",
        "Fréchet Inception Distance",
        &[],
    ),
    (
        r"metadata from \'Erudit, a Canadian",
        "metadata from Érudit, a Canadian",
        &[],
    ),
    (
        r#"we propose Mj\"olnir, a novel"#,
        "we propose Mjölnir, a novel",
        &[],
    ),
    (
        r"(Vrei s\u{a} fii Milionar?)",
        "(Vrei să fii Milionar?)",
        &[],
    ),
    (r"Posel od \v{C}erchova", "Posel od Čerchova", &[]),
    (
        r"Reabilita\c{c}\~ao Estrutural Digital atrav\'es da",
        "Reabilitação Estrutural Digital através da",
        &[],
    ),
    // Accent forms BibTeX-made metadata uses (constructed).
    (r#"Schr{\"o}dinger bridges"#, "Schrödinger bridges", &[]),
    (r#"Schr\"{o}dinger"#, "Schrödinger", &[]),
    (r"Erd\H{o}s and Pe{\~n}a", "Erdős and Peña", &[]),
    (
        r"Ya{\u g}mur and Gr\o nbech and Stra\ss e",
        "Yağmur and Grønbech and Straße",
        &[],
    ),
    (r#"Ferm\'{\i} and na\"{\i}ve"#, "Fermí and naïve", &[]),
    (r"\L{}ukasz Kaiser", "Łukasz Kaiser", &[]),
    // Escapes outside math (2503.13004, 2505.00036, 2506.02382, 2506.10209).
    (
        r"0.14\% on 1-NNA-Abs50 EMD and 57.90\% on COV",
        "0.14% on 1-NNA-Abs50 EMD and 57.90% on COV",
        &[],
    ),
    (
        r"costs between \$48-\$74 per persuaded voter compared to \$100",
        "costs between $48-$74 per persuaded voter compared to $100",
        &[],
    ),
    (
        r"Action Anticipation (m\&m-Ant)",
        "Action Anticipation (m&m-Ant)",
        &[],
    ),
    (
        r"score on average $\downarrow$ 41\% \& $\downarrow$ 5\% lower",
        r"score on average $\downarrow$ 41% & $\downarrow$ 5% lower",
        &[r"\downarrow", r"\downarrow"],
    ),
    (r"a \$15 Frontier Run", "a $15 Frontier Run", &[]),
    (
        r"the \#1 model and snake\_case",
        "the #1 model and snake_case",
        &[],
    ),
    // Formatting commands (2503.13060, 2503.14917, 2503.16322, 2503.15144).
    (
        r"MoScNet (\textbf{Mo}di \textbf{Sc}ript \textbf{Net}work), a novel",
        "MoScNet (Modi Script Network), a novel",
        &[],
    ),
    (
        r"MASS, a \textbf{MA}thematical data \textbf{S}election",
        "MASS, a MAthematical data Selection",
        &[],
    ),
    (
        r"termed \emph{URAE}. For data efficiency",
        "termed URAE. For data efficiency",
        &[],
    ),
    (
        r"available at \emph{\textcolor{magenta}{https://github.com/S}}.",
        "available at https://github.com/S.",
        &[],
    ),
    (
        r"\textit{nested \textbf{bold {braces}}} end",
        "nested bold braces end",
        &[],
    ),
    // Links: the address is dropped, never made a link (2503.16322, 2503.14501).
    (
        r"Codes are available \href{https://github.com/Huage001/URAE}{here}.",
        "Codes are available here.",
        &[],
    ),
    (
        r"available at: \url{https://github.com/x/y_z}",
        "available at: https://github.com/x/y_z",
        &[],
    ),
    (
        r"see https://example.org/~user/a--b for code",
        "see https://example.org/~user/a--b for code",
        &[],
    ),
    // Quotes, dashes, ties (2503.12496, 2503.13928, 2503.20198).
    (
        r"due to the ``Sampling Dilemma'': low-density",
        "due to the “Sampling Dilemma”: low-density",
        &[],
    ),
    (
        r"on the most challenging ``44-classes MRI dataset''.",
        "on the most challenging “44-classes MRI dataset”.",
        &[],
    ),
    ("pages 10--20 --- and more", "pages 10–20 — and more", &[]),
    (
        r"outperforms SD3.5 Large~\cite{sd3}",
        "outperforms SD3.5 Large\u{a0}\\cite{sd3}",
        &[],
    ),
    (r"\ModelName~opens up", "\\ModelName\u{a0}opens up", &[]),
    // A tilde that begins a word means "about", not a tie.
    (
        "we observe only a ~2% accuracy drop",
        "we observe only a ~2% accuracy drop",
        &[],
    ),
    // Inline math is kept verbatim (2503.11945, 2503.12609, 2504.04427, 2505.24608).
    (
        r"achieves $99\%$ bit accuracy ($48$ bits) with a $10^5 \times$ reduction",
        r"achieves $99\%$ bit accuracy ($48$ bits) with a $10^5 \times$ reduction",
        &[r"99\%", "48", r"10^5 \times"],
    ),
    (
        r"a success rate of $87.5\%$ in",
        r"a success rate of $87.5\%$ in",
        &[r"87.5\%"],
    ),
    (
        r"by approximately $\textbf{16.3%}$ in",
        r"by approximately $\textbf{16.3%}$ in",
        &[r"\textbf{16.3%}"],
    ),
    (
        r"based on \(N\)-dimensional Gaussians",
        r"based on \(N\)-dimensional Gaussians",
        &["N"],
    ),
    (
        r"we propose \(\Delta\)ConvFusion",
        r"we propose \(\Delta\)ConvFusion",
        &[r"\Delta"],
    ),
    (
        r"sorting in $O(n \log n)$ time",
        r"sorting in $O(n \log n)$ time",
        &[r"O(n \log n)"],
    ),
    // Adjacent formulas and a closing sign before a digit (2603.16073, 2604.08810).
    (
        r"to $\sim$$13k$ NLP papers",
        r"to $\sim$$13k$ NLP papers",
        &[r"\sim", "13k"],
    ),
    (
        r"(R$^2$$>$0.99). Code",
        r"(R$^2$$>$0.99). Code",
        &["^2", ">"],
    ),
    // Display math (2606.13491, 2605.23942).
    (
        r"less than $$\frac{n}{N^{1/d}}. $$ We then",
        r"less than $$\frac{n}{N^{1/d}}. $$ We then",
        &[r"\frac{n}{N^{1/d}}. "],
    ),
    (
        r"of the form \[ X_{t+1} = F(X_t), \] where",
        r"of the form \[ X_{t+1} = F(X_t), \] where",
        &[r" X_{t+1} = F(X_t), "],
    ),
    // Math keeps its own escapes and braces (2506.01558, 2505.07440).
    (
        r"in $\mathcal{J\&F}$ on the Ref-AVS",
        r"in $\mathcal{J\&F}$ on the Ref-AVS",
        &[r"\mathcal{J\&F}"],
    ),
    (
        r"$\langle IG, is~capable~of, task \rangle$ from",
        r"$\langle IG, is~capable~of, task \rangle$ from",
        &[r"\langle IG, is~capable~of, task \rangle"],
    ),
    (
        r"a \$ inside: $\$5 + x$ ok",
        r"a $ inside: $\$5 + x$ ok",
        &[r"\$5 + x"],
    ),
    // Dollars that are prices, and unbalanced ones (constructed).
    (
        "it costs $5 and $10 a month",
        "it costs $5 and $10 a month",
        &[],
    ),
    (
        "an unbalanced $x + y formula",
        "an unbalanced $x + y formula",
        &[],
    ),
    ("a lone $ sign", "a lone $ sign", &[]),
    ("empty $$ $$ display", "empty $$ $$ display", &[]),
    ("price $ 5$ with a space", "price $ 5$ with a space", &[]),
    (r"unclosed \( paren", r"unclosed \( paren", &[]),
    // Unbalanced braces and stray backslashes (constructed).
    (r"an {unbalanced brace", "an unbalanced brace", &[]),
    (r#"trailing backslash \"#, r"trailing backslash \", &[]),
    (r"\unknown{arg} stays", r"\unknown{arg} stays", &[]),
    (r"\LaTeX{} and \ldots", "LaTeX and …", &[]),
];

fn formulas(c: &Cleaned) -> Vec<String> {
    let units: Vec<u16> = c.text.encode_utf16().collect();
    c.math
        .iter()
        .map(|m| String::from_utf16(&units[m.tex_start as usize..m.tex_end as usize]).unwrap())
        .collect()
}

#[test]
fn real_snippets_clean_as_expected() {
    assert!(CASES.len() >= 40, "{} cases", CASES.len());
    for (input, text, math) in CASES {
        let got = clean(input);
        assert_eq!(got.text, *text, "input {input:?}");
        assert_eq!(formulas(&got), *math, "input {input:?}");
    }
}

#[test]
fn spans_count_utf16_units_and_cover_their_delimiters() {
    // 𝒪 is outside the basic plane: two UTF-16 units, as JavaScript counts.
    let c = clean(r"𝒪 é $x^2$ and $$y$$");
    let units: Vec<u16> = c.text.encode_utf16().collect();
    let whole =
        |m: &MathSpan| String::from_utf16(&units[m.start as usize..m.end as usize]).unwrap();
    assert_eq!(whole(&c.math[0]), "$x^2$");
    assert_eq!(whole(&c.math[1]), "$$y$$");
    assert!(c.math[1].display && !c.math[0].display);
    assert_eq!(c.math[0].start, 5);
}

#[test]
fn hostile_input_is_linear_and_keeps_its_text() {
    let dollars = "$".repeat(10_000);
    let started = std::time::Instant::now();
    let c = clean(&dollars);
    assert_eq!(c.text, dollars);
    assert!(c.math.is_empty());
    let braces = format!("{}x{}", "{".repeat(5_000), "}".repeat(5_000));
    assert_eq!(clean(&braces).text, "x");
    let fracs = format!("${}$", r"\frac{1}{".repeat(2_000) + &"}".repeat(2_000));
    // Longer than a formula may be: text, not math.
    assert!(clean(&fracs).math.is_empty());
    // Generous: a quadratic scan over these takes seconds.
    assert!(started.elapsed().as_secs_f64() < 2.0);
}

#[test]
fn bibtex_escapes_specials_and_protects_capitals() {
    let c = clean(r#"Schr{\"o}dinger Bridges for GPT-4 at 99\% and \$15 in $O(n^2)$ \& more"#);
    assert_eq!(
        to_bibtex(&c.text, &c.math, true),
        r#"{Schr{\"{o}}dinger} {Bridges} for {GPT-4} at 99\% and \$15 in $O(n^2)$ \& more"#
    );
    assert_eq!(
        to_bibtex("a_b {c} ~ ^ \\", &[], false),
        r"a\_b \{c\} \textasciitilde{} \textasciicircum{} \textbackslash{}"
    );
    assert_eq!(
        to_bibtex("Łukasz Grønbech–Straße “x”", &[], false),
        r"{\L}ukasz Gr{\o}nbech--Stra{\ss}e ``x''"
    );
}

#[test]
fn bibtex_is_cleaned_back_to_the_same_text() {
    for (input, _, _) in CASES {
        let c = clean(input);
        let tex = to_bibtex(&c.text, &c.math, true);
        let again = clean(&tex);
        assert_eq!(again.text, c.text, "input {input:?} as {tex:?}");
        assert_eq!(formulas(&again), formulas(&c), "input {input:?}");
    }
}
