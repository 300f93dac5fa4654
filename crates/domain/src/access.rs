//! Who may do what: every permission is "this role in this village" (or the installation admin).

use super::account::Role;

/// Things a person may try to do. Each handler names one and asks [`allowed`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Create villages, manage accounts and roles of the whole installation.
    ManageInstallation,
    /// Edit a village's facts and hamlets.
    EditVillage,
    /// Record stakeholder groups, meetings, attendance (officials and facilitators).
    RecordMeetings,
    /// Review proposals and move them along (officials).
    ReviewProposals,
    /// Finalize a meeting: freeze its record and let its decisions take effect (officials).
    FinalizeMeetings,
    /// Open the annual plan, set its criteria and ceilings, and adopt it (officials).
    AdoptPlan,
    /// Confirm or refuse a person who signed up as a resident (officials and facilitators).
    ConfirmResidents,
    /// Issue a one-time password reset code to a resident (officials).
    ResetPasswords,
    /// Submit proposals and feedback as a resident of the village.
    Participate,
    /// Answer the village's DU-RKP items (the kecamatan overseeing it).
    AnswerDuRkp,
    /// See and end one's own sessions: anyone logged in.
    ManageOwnAccount,
}

/// The rule table. `roles` are the roles the person holds in the village concerned.
pub fn allowed(action: Action, is_admin: bool, roles: &[Role]) -> bool {
    if is_admin {
        return true;
    }
    let has = |r: Role| roles.contains(&r);
    match action {
        Action::ManageInstallation => false,
        Action::EditVillage
        | Action::ReviewProposals
        | Action::FinalizeMeetings
        | Action::AdoptPlan
        | Action::ResetPasswords => has(Role::Official),
        Action::RecordMeetings | Action::ConfirmResidents => {
            has(Role::Official) || has(Role::Facilitator)
        }
        // Overseeing a village is not living in it.
        Action::Participate => roles.iter().any(|r| *r != Role::Kecamatan),
        Action::AnswerDuRkp => has(Role::Kecamatan),
        Action::ManageOwnAccount => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_may_do_everything() {
        for a in [
            Action::ManageInstallation,
            Action::EditVillage,
            Action::RecordMeetings,
            Action::Participate,
        ] {
            assert!(allowed(a, true, &[]));
        }
    }

    #[test]
    fn roles_count_only_in_their_village() {
        // The caller passes the roles held in the village concerned; none elsewhere.
        assert!(!allowed(Action::EditVillage, false, &[]));
        assert!(!allowed(Action::Participate, false, &[]));
        // One's own sessions need an account, not a role.
        assert!(allowed(Action::ManageOwnAccount, false, &[]));
    }

    #[test]
    fn officials_edit_facilitators_record_residents_participate() {
        assert!(allowed(Action::EditVillage, false, &[Role::Official]));
        assert!(!allowed(Action::EditVillage, false, &[Role::Facilitator]));
        assert!(allowed(Action::RecordMeetings, false, &[Role::Facilitator]));
        // The kecamatan answers the DU-RKP and does nothing else in the village.
        assert!(allowed(Action::AnswerDuRkp, false, &[Role::Kecamatan]));
        for a in [
            Action::Participate,
            Action::RecordMeetings,
            Action::ReviewProposals,
            Action::AdoptPlan,
        ] {
            assert!(!allowed(a, false, &[Role::Kecamatan]), "{a:?}");
        }
        assert!(!allowed(Action::AnswerDuRkp, false, &[Role::Official]));
        assert!(allowed(Action::FinalizeMeetings, false, &[Role::Official]));
        assert!(!allowed(
            Action::FinalizeMeetings,
            false,
            &[Role::Facilitator]
        ));
        assert!(!allowed(Action::RecordMeetings, false, &[Role::Resident]));
        assert!(allowed(Action::Participate, false, &[Role::Resident]));
        assert!(!allowed(
            Action::ManageInstallation,
            false,
            &[Role::Official]
        ));
    }
}
