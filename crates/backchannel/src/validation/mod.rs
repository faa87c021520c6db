//! Validation data the project holds the model to: the International
//! Crisis Behavior crises (`data/icb/`, docs/VALIDATION.md, "Mediation").

pub mod icb;
