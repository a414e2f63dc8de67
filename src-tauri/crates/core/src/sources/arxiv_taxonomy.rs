//! arXiv's category taxonomy (code, name, group), for picking categories by name. Data
//! only: the sync settings accept any well-formed category code, and this list is what
//! the Settings picker searches.

use serde::Serialize;

/// One arXiv category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Category {
    /// The code (`cs.LG`, `hep-th`).
    pub code: String,
    /// The name (`Machine Learning`).
    pub name: String,
    /// The group it belongs to (`Computer Science`, `Physics`).
    pub group: String,
}

/// Every arXiv category: code, name, group (arXiv's category taxonomy).
pub const CATEGORIES: &[(&str, &str, &str)] = &[
    ("cs.AI", "Artificial Intelligence", "Computer Science"),
    ("cs.AR", "Hardware Architecture", "Computer Science"),
    ("cs.CC", "Computational Complexity", "Computer Science"),
    (
        "cs.CE",
        "Computational Engineering, Finance, and Science",
        "Computer Science",
    ),
    ("cs.CG", "Computational Geometry", "Computer Science"),
    ("cs.CL", "Computation and Language", "Computer Science"),
    ("cs.CR", "Cryptography and Security", "Computer Science"),
    (
        "cs.CV",
        "Computer Vision and Pattern Recognition",
        "Computer Science",
    ),
    ("cs.CY", "Computers and Society", "Computer Science"),
    ("cs.DB", "Databases", "Computer Science"),
    (
        "cs.DC",
        "Distributed, Parallel, and Cluster Computing",
        "Computer Science",
    ),
    ("cs.DL", "Digital Libraries", "Computer Science"),
    ("cs.DM", "Discrete Mathematics", "Computer Science"),
    (
        "cs.DS",
        "Data Structures and Algorithms",
        "Computer Science",
    ),
    ("cs.ET", "Emerging Technologies", "Computer Science"),
    (
        "cs.FL",
        "Formal Languages and Automata Theory",
        "Computer Science",
    ),
    ("cs.GL", "General Literature", "Computer Science"),
    ("cs.GR", "Graphics", "Computer Science"),
    (
        "cs.GT",
        "Computer Science and Game Theory",
        "Computer Science",
    ),
    ("cs.HC", "Human-Computer Interaction", "Computer Science"),
    ("cs.IR", "Information Retrieval", "Computer Science"),
    ("cs.IT", "Information Theory", "Computer Science"),
    ("cs.LG", "Machine Learning", "Computer Science"),
    ("cs.LO", "Logic in Computer Science", "Computer Science"),
    ("cs.MA", "Multiagent Systems", "Computer Science"),
    ("cs.MM", "Multimedia", "Computer Science"),
    ("cs.MS", "Mathematical Software", "Computer Science"),
    ("cs.NA", "Numerical Analysis", "Computer Science"),
    (
        "cs.NE",
        "Neural and Evolutionary Computing",
        "Computer Science",
    ),
    (
        "cs.NI",
        "Networking and Internet Architecture",
        "Computer Science",
    ),
    ("cs.OH", "Other Computer Science", "Computer Science"),
    ("cs.OS", "Operating Systems", "Computer Science"),
    ("cs.PF", "Performance", "Computer Science"),
    ("cs.PL", "Programming Languages", "Computer Science"),
    ("cs.RO", "Robotics", "Computer Science"),
    ("cs.SC", "Symbolic Computation", "Computer Science"),
    ("cs.SD", "Sound", "Computer Science"),
    ("cs.SE", "Software Engineering", "Computer Science"),
    (
        "cs.SI",
        "Social and Information Networks",
        "Computer Science",
    ),
    ("cs.SY", "Systems and Control", "Computer Science"),
    ("econ.EM", "Econometrics", "Economics"),
    ("econ.GN", "General Economics", "Economics"),
    ("econ.TH", "Theoretical Economics", "Economics"),
    (
        "eess.AS",
        "Audio and Speech Processing",
        "Electrical Engineering and Systems Science",
    ),
    (
        "eess.IV",
        "Image and Video Processing",
        "Electrical Engineering and Systems Science",
    ),
    (
        "eess.SP",
        "Signal Processing",
        "Electrical Engineering and Systems Science",
    ),
    (
        "eess.SY",
        "Systems and Control",
        "Electrical Engineering and Systems Science",
    ),
    ("math.AC", "Commutative Algebra", "Mathematics"),
    ("math.AG", "Algebraic Geometry", "Mathematics"),
    ("math.AP", "Analysis of PDEs", "Mathematics"),
    ("math.AT", "Algebraic Topology", "Mathematics"),
    ("math.CA", "Classical Analysis and ODEs", "Mathematics"),
    ("math.CO", "Combinatorics", "Mathematics"),
    ("math.CT", "Category Theory", "Mathematics"),
    ("math.CV", "Complex Variables", "Mathematics"),
    ("math.DG", "Differential Geometry", "Mathematics"),
    ("math.DS", "Dynamical Systems", "Mathematics"),
    ("math.FA", "Functional Analysis", "Mathematics"),
    ("math.GM", "General Mathematics", "Mathematics"),
    ("math.GN", "General Topology", "Mathematics"),
    ("math.GR", "Group Theory", "Mathematics"),
    ("math.GT", "Geometric Topology", "Mathematics"),
    ("math.HO", "History and Overview", "Mathematics"),
    ("math.IT", "Information Theory", "Mathematics"),
    ("math.KT", "K-Theory and Homology", "Mathematics"),
    ("math.LO", "Logic", "Mathematics"),
    ("math.MG", "Metric Geometry", "Mathematics"),
    ("math.MP", "Mathematical Physics", "Mathematics"),
    ("math.NA", "Numerical Analysis", "Mathematics"),
    ("math.NT", "Number Theory", "Mathematics"),
    ("math.OA", "Operator Algebras", "Mathematics"),
    ("math.OC", "Optimization and Control", "Mathematics"),
    ("math.PR", "Probability", "Mathematics"),
    ("math.QA", "Quantum Algebra", "Mathematics"),
    ("math.RA", "Rings and Algebras", "Mathematics"),
    ("math.RT", "Representation Theory", "Mathematics"),
    ("math.SG", "Symplectic Geometry", "Mathematics"),
    ("math.SP", "Spectral Theory", "Mathematics"),
    ("math.ST", "Statistics Theory", "Mathematics"),
    ("q-bio.BM", "Biomolecules", "Quantitative Biology"),
    ("q-bio.CB", "Cell Behavior", "Quantitative Biology"),
    ("q-bio.GN", "Genomics", "Quantitative Biology"),
    ("q-bio.MN", "Molecular Networks", "Quantitative Biology"),
    ("q-bio.NC", "Neurons and Cognition", "Quantitative Biology"),
    (
        "q-bio.OT",
        "Other Quantitative Biology",
        "Quantitative Biology",
    ),
    (
        "q-bio.PE",
        "Populations and Evolution",
        "Quantitative Biology",
    ),
    ("q-bio.QM", "Quantitative Methods", "Quantitative Biology"),
    ("q-bio.SC", "Subcellular Processes", "Quantitative Biology"),
    ("q-bio.TO", "Tissues and Organs", "Quantitative Biology"),
    ("q-fin.CP", "Computational Finance", "Quantitative Finance"),
    ("q-fin.EC", "Economics", "Quantitative Finance"),
    ("q-fin.GN", "General Finance", "Quantitative Finance"),
    ("q-fin.MF", "Mathematical Finance", "Quantitative Finance"),
    ("q-fin.PM", "Portfolio Management", "Quantitative Finance"),
    ("q-fin.PR", "Pricing of Securities", "Quantitative Finance"),
    ("q-fin.RM", "Risk Management", "Quantitative Finance"),
    ("q-fin.ST", "Statistical Finance", "Quantitative Finance"),
    (
        "q-fin.TR",
        "Trading and Market Microstructure",
        "Quantitative Finance",
    ),
    ("stat.AP", "Applications", "Statistics"),
    ("stat.CO", "Computation", "Statistics"),
    ("stat.ME", "Methodology", "Statistics"),
    ("stat.ML", "Machine Learning", "Statistics"),
    ("stat.OT", "Other Statistics", "Statistics"),
    ("stat.TH", "Statistics Theory", "Statistics"),
    (
        "astro-ph.CO",
        "Cosmology and Nongalactic Astrophysics",
        "Physics",
    ),
    ("astro-ph.EP", "Earth and Planetary Astrophysics", "Physics"),
    ("astro-ph.GA", "Astrophysics of Galaxies", "Physics"),
    (
        "astro-ph.HE",
        "High Energy Astrophysical Phenomena",
        "Physics",
    ),
    (
        "astro-ph.IM",
        "Instrumentation and Methods for Astrophysics",
        "Physics",
    ),
    ("astro-ph.SR", "Solar and Stellar Astrophysics", "Physics"),
    (
        "cond-mat.dis-nn",
        "Disordered Systems and Neural Networks",
        "Physics",
    ),
    (
        "cond-mat.mes-hall",
        "Mesoscale and Nanoscale Physics",
        "Physics",
    ),
    ("cond-mat.mtrl-sci", "Materials Science", "Physics"),
    ("cond-mat.other", "Other Condensed Matter", "Physics"),
    ("cond-mat.quant-gas", "Quantum Gases", "Physics"),
    ("cond-mat.soft", "Soft Condensed Matter", "Physics"),
    ("cond-mat.stat-mech", "Statistical Mechanics", "Physics"),
    (
        "cond-mat.str-el",
        "Strongly Correlated Electrons",
        "Physics",
    ),
    ("cond-mat.supr-con", "Superconductivity", "Physics"),
    (
        "gr-qc",
        "General Relativity and Quantum Cosmology",
        "Physics",
    ),
    ("hep-ex", "High Energy Physics - Experiment", "Physics"),
    ("hep-lat", "High Energy Physics - Lattice", "Physics"),
    ("hep-ph", "High Energy Physics - Phenomenology", "Physics"),
    ("hep-th", "High Energy Physics - Theory", "Physics"),
    ("math-ph", "Mathematical Physics", "Physics"),
    (
        "nlin.AO",
        "Adaptation and Self-Organizing Systems",
        "Physics",
    ),
    ("nlin.CD", "Chaotic Dynamics", "Physics"),
    ("nlin.CG", "Cellular Automata and Lattice Gases", "Physics"),
    ("nlin.PS", "Pattern Formation and Solitons", "Physics"),
    (
        "nlin.SI",
        "Exactly Solvable and Integrable Systems",
        "Physics",
    ),
    ("nucl-ex", "Nuclear Experiment", "Physics"),
    ("nucl-th", "Nuclear Theory", "Physics"),
    ("physics.acc-ph", "Accelerator Physics", "Physics"),
    (
        "physics.ao-ph",
        "Atmospheric and Oceanic Physics",
        "Physics",
    ),
    ("physics.app-ph", "Applied Physics", "Physics"),
    (
        "physics.atm-clus",
        "Atomic and Molecular Clusters",
        "Physics",
    ),
    ("physics.atom-ph", "Atomic Physics", "Physics"),
    ("physics.bio-ph", "Biological Physics", "Physics"),
    ("physics.chem-ph", "Chemical Physics", "Physics"),
    ("physics.class-ph", "Classical Physics", "Physics"),
    ("physics.comp-ph", "Computational Physics", "Physics"),
    (
        "physics.data-an",
        "Data Analysis, Statistics and Probability",
        "Physics",
    ),
    ("physics.ed-ph", "Physics Education", "Physics"),
    ("physics.flu-dyn", "Fluid Dynamics", "Physics"),
    ("physics.gen-ph", "General Physics", "Physics"),
    ("physics.geo-ph", "Geophysics", "Physics"),
    (
        "physics.hist-ph",
        "History and Philosophy of Physics",
        "Physics",
    ),
    (
        "physics.ins-det",
        "Instrumentation and Detectors",
        "Physics",
    ),
    ("physics.med-ph", "Medical Physics", "Physics"),
    ("physics.optics", "Optics", "Physics"),
    ("physics.plasm-ph", "Plasma Physics", "Physics"),
    ("physics.pop-ph", "Popular Physics", "Physics"),
    ("physics.soc-ph", "Physics and Society", "Physics"),
    ("physics.space-ph", "Space Physics", "Physics"),
    ("quant-ph", "Quantum Physics", "Physics"),
];

/// Every category, in taxonomy order.
pub fn categories() -> Vec<Category> {
    CATEGORIES
        .iter()
        .map(|(code, name, group)| Category {
            code: (*code).into(),
            name: (*name).into(),
            group: (*group).into(),
        })
        .collect()
}

/// The categories whose code or name contains every word of `query` (no case), in
/// taxonomy order; all of them for an empty query.
pub fn search(query: &str) -> Vec<Category> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    categories()
        .into_iter()
        .filter(|c| {
            let hay = format!("{} {} {}", c.code, c.name, c.group).to_lowercase();
            words.iter().all(|w| hay.contains(w.as_str()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_taxonomy_is_well_formed_and_searchable() {
        let all = categories();
        assert_eq!(all.len(), 155);
        let mut codes: Vec<&str> = CATEGORIES.iter().map(|c| c.0).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 155, "codes are unique");
        // Every code is one the sync settings accept.
        let settings = crate::sync::SyncSettings {
            categories: all.iter().map(|c| c.code.clone()).collect(),
            ..Default::default()
        };
        assert_eq!(settings.validated().unwrap().categories.len(), 155);
        let ml: Vec<String> = search("machine learning")
            .into_iter()
            .map(|c| c.code)
            .collect();
        assert_eq!(ml, ["cs.LG", "stat.ML"]);
        let codes: Vec<String> = search("HEP-TH").into_iter().map(|c| c.code).collect();
        assert_eq!(codes, ["hep-th"]);
        assert_eq!(search("").len(), 155);
        assert!(search("no such field").is_empty());
    }
}
