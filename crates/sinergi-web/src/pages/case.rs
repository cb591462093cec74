//! `/kerja-sama/{id}`: the case as a story, with the forms of what can be done now;
//! `/kerja-sama/baru`: opening a case. One file per job: the page model (`view`), its
//! forms (`forms`), opening a case (`new`), the words for codes (`labels`).

mod forms;
pub(crate) mod labels;
mod new;
mod view;

pub use forms::{TransitionForm, add_meeting, transition};
pub(crate) use labels::*;
pub use new::{NewCaseForm, create, new_form};
pub(crate) use view::step_label;
pub(crate) use view::*;
pub use view::{MeetingForm, show};
