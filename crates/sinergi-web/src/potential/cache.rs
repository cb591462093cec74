//! The loaded observations of the comparison sets, per level, price basis and data set.

use crate::error::ApiError;
use crate::state::AppState;
use sinergi_analytics::{DataSet, Observation, PriceBasis};
use sinergi_store::{PanelLevel, PanelQuery};
use std::collections::HashMap;

type PanelKey = (PanelLevel, PriceBasis, DataSet);
pub(super) type Loaded = std::sync::Arc<(Vec<Observation>, Vec<uuid::Uuid>)>;

/// The observations of the comparison sets, kept while no batch is added or replaced (the
/// fingerprint is the list of batch ids, so any import or synthetic reload invalidates it).
#[derive(Default)]
pub struct PotentialCache {
    inner: std::sync::Mutex<(Vec<uuid::Uuid>, HashMap<PanelKey, Loaded>)>,
}

impl std::fmt::Debug for PotentialCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PotentialCache")
    }
}

/// The PDRB observations of a level, basis and data set, and the batches they come from.
pub(super) async fn observations(
    state: &AppState,
    level: PanelLevel,
    basis: PriceBasis,
    set: DataSet,
) -> Result<Loaded, ApiError> {
    let fingerprint = state.store.observations_fingerprint().await?;
    let key = (level, basis, set);
    {
        let mut guard = state
            .potential
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if guard.0 != fingerprint {
            guard.0.clone_from(&fingerprint);
            guard.1.clear();
        }
        if let Some(hit) = guard.1.get(&key) {
            return Ok(hit.clone());
        }
    }
    let query = PanelQuery {
        level,
        indicator: "pdrb",
        price_basis: basis.as_str(),
        synthetic: set.is_synthetic(),
    };
    let values = state.store.panel_values(query).await?;
    let batches = state.store.panel_batches(query).await?;
    let obs = values
        .into_iter()
        .map(|v| Observation::new(v.region_code, v.sector, v.year, v.value))
        .collect();
    let loaded: Loaded = std::sync::Arc::new((obs, batches));
    let mut guard = state
        .potential
        .inner
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if guard.0 == fingerprint {
        guard.1.insert(key, loaded.clone());
    }
    Ok(loaded)
}
