//! Needs surveys, their questions and the answers given.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Result, StoreError, audit, change, duplicate_on, new_id, now, read};
use crate::domain::survey::{CheckedSurvey, Question};

/// A survey as listed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SurveySummary {
    pub id: Uuid,
    pub title: String,
    pub group_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub responses: i64,
}

/// A survey with its questions.
#[derive(Debug, Clone)]
pub struct Survey {
    pub id: Uuid,
    pub village_id: Uuid,
    pub title: String,
    pub intro: Option<String>,
    pub group_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub questions: Vec<(Uuid, Question)>,
}

impl Survey {
    pub fn is_open(&self) -> bool {
        self.closed_at.is_none()
    }
}

#[derive(sqlx::FromRow)]
struct SurveyRow {
    id: Uuid,
    village_id: Uuid,
    title: String,
    intro: Option<String>,
    group_name: Option<String>,
    created_at: DateTime<Utc>,
    closed_at: Option<DateTime<Utc>>,
}

/// One answer as read: its response, the dusun and group named, the question and choice.
type AnswerRow = (Uuid, Option<String>, Option<String>, Uuid, i64);

/// One person's answers, with the dusun and group they named.
#[derive(Debug, Clone)]
pub struct Response {
    pub hamlet: Option<String>,
    pub group_name: Option<String>,
    /// The chosen answers' places, in question order.
    pub chosen: Vec<i64>,
}

/// Who answers: a respondent key (see the migration) and, on paper, who entered it.
pub struct Respondent {
    pub key: String,
    pub paper_by: Option<Uuid>,
    pub hamlet: Option<String>,
    pub group: Option<Uuid>,
}

impl super::Store {
    /// Stores a survey and its questions together.
    pub async fn create_survey(
        &self,
        village: Uuid,
        s: &CheckedSurvey,
        actor: Uuid,
    ) -> Result<Uuid> {
        let id = new_id();
        let at = now();
        change!(self, |tx| {
            sqlx::query(
                "INSERT INTO surveys (id, village_id, title, intro, group_id, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(id)
            .bind(village)
            .bind(&s.title)
            .bind(&s.intro)
            .bind(s.group)
            .bind(actor)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            for (i, q) in s.questions.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO survey_questions (id, survey_id, position, text, choices) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(new_id())
                .bind(id)
                .bind(i as i64)
                .bind(&q.text)
                .bind(q.choices.join("\n"))
                .execute(&mut *tx)
                .await?;
            }
            let entry = audit::entry!(actor: Some(actor), village: Some(village), entity: "survey",
                id: id.to_string(), action: "create", before: None,
                after: Some(serde_json::json!({ "title": s.title, "questions": s.questions.len() })));
            (id, entry)
        })
    }

    /// The village's surveys, the latest first, with how many answered each.
    pub async fn list_surveys(&self, village: Uuid) -> Result<Vec<SurveySummary>> {
        Ok(read!(self, |pool| {
            sqlx::query_as(
                "SELECT s.id, s.title, g.name AS group_name, s.created_at, s.closed_at, \
                 (SELECT COUNT(*) FROM survey_responses r WHERE r.survey_id = s.id) AS responses \
                 FROM surveys s LEFT JOIN stakeholder_groups g ON g.id = s.group_id \
                 WHERE s.village_id = $1 ORDER BY s.created_at DESC, s.id DESC LIMIT 200",
            )
            .bind(village)
            .fetch_all(pool)
            .await
        })?)
    }

    pub async fn survey(&self, village: Uuid, id: Uuid) -> Result<Survey> {
        let row: Option<SurveyRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT s.id, s.village_id, s.title, s.intro, g.name AS group_name, s.created_at, s.closed_at \
                 FROM surveys s LEFT JOIN stakeholder_groups g ON g.id = s.group_id \
                 WHERE s.village_id = $1 AND s.id = $2",
            )
            .bind(village)
            .bind(id)
            .fetch_optional(pool)
            .await
        })?;
        let row = row.ok_or(StoreError::NotFound)?;
        let questions: Vec<(Uuid, String, String)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, text, choices FROM survey_questions WHERE survey_id = $1 ORDER BY position",
            )
            .bind(id)
            .fetch_all(pool)
            .await
        })?;
        Ok(Survey {
            id: row.id,
            village_id: row.village_id,
            title: row.title,
            intro: row.intro,
            group_name: row.group_name,
            created_at: row.created_at,
            closed_at: row.closed_at,
            questions: questions
                .into_iter()
                .map(|(id, text, choices)| {
                    let choices = choices.lines().map(String::from).collect();
                    (id, Question { text, choices })
                })
                .collect(),
        })
    }

    /// Stores one person's answers; the same respondent answering again is
    /// [`StoreError::Duplicate`], a closed survey [`StoreError::OutOfTurn`], and nothing
    /// is stored.
    pub async fn add_response(
        &self,
        survey: &Survey,
        who: &Respondent,
        chosen: &[i64],
    ) -> Result<()> {
        let id = new_id();
        let at = now();
        let channel = if who.paper_by.is_some() {
            "paper"
        } else {
            "online"
        };
        change!(self, |tx| {
            let open: Option<bool> =
                sqlx::query_scalar("SELECT closed_at IS NULL FROM surveys WHERE id = $1")
                    .bind(survey.id)
                    .fetch_optional(&mut *tx)
                    .await?;
            if open != Some(true) {
                return Err(StoreError::OutOfTurn("error.survey_closed"));
            }
            sqlx::query(
                "INSERT INTO survey_responses (id, survey_id, respondent, hamlet, group_id, channel, entered_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(id)
            .bind(survey.id)
            .bind(&who.key)
            .bind(&who.hamlet)
            .bind(who.group)
            .bind(channel)
            .bind(who.paper_by)
            .bind(at)
            .execute(&mut *tx)
            .await
            .map_err(|e| duplicate_on(e, &["respondent"]))?;
            for ((question, _), choice) in survey.questions.iter().zip(chosen) {
                sqlx::query(
                    "INSERT INTO survey_answers (response_id, question_id, choice) VALUES ($1, $2, $3)",
                )
                .bind(id)
                .bind(question)
                .bind(choice)
                .execute(&mut *tx)
                .await?;
            }
            let entry = who.paper_by.map(|by| {
                audit::entry!(actor: Some(by), village: Some(survey.village_id), entity: "survey",
                    id: survey.id.to_string(), action: "response_on_paper", before: None, after: None)
            });
            ((), entry)
        })
    }

    /// Every answer given to a survey, each person's in question order.
    pub async fn survey_responses(&self, survey: &Survey) -> Result<Vec<Response>> {
        let rows: Vec<AnswerRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT r.id, r.hamlet, g.name, a.question_id, a.choice FROM survey_responses r \
                 LEFT JOIN stakeholder_groups g ON g.id = r.group_id \
                 JOIN survey_answers a ON a.response_id = r.id \
                 WHERE r.survey_id = $1 ORDER BY r.created_at, r.id",
            )
            .bind(survey.id)
            .fetch_all(pool)
            .await
        })?;
        let place = |q: Uuid| survey.questions.iter().position(|(id, _)| *id == q);
        let mut responses: Vec<(Uuid, Response)> = Vec::new();
        for (id, hamlet, group_name, question, choice) in rows {
            if responses.last().is_none_or(|(last, _)| *last != id) {
                responses.push((
                    id,
                    Response {
                        hamlet,
                        group_name,
                        chosen: vec![-1; survey.questions.len()],
                    },
                ));
            }
            if let (Some(i), Some((_, r))) = (place(question), responses.last_mut()) {
                r.chosen[i] = choice;
            }
        }
        Ok(responses.into_iter().map(|(_, r)| r).collect())
    }

    /// Whether this respondent answered the survey already.
    pub async fn survey_respondent_exists(&self, survey: Uuid, respondent: &str) -> Result<bool> {
        Ok(read!(self, |pool| {
            sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM survey_responses WHERE survey_id = $1 AND respondent = $2)",
            )
            .bind(survey)
            .bind(respondent)
            .fetch_one(pool)
            .await
        })?)
    }

    /// Closes a survey to new answers; closing a closed one changes nothing.
    pub async fn close_survey(&self, survey: &Survey, actor: Uuid) -> Result<()> {
        let at = now();
        change!(self, |tx| {
            let closed = sqlx::query(
                "UPDATE surveys SET closed_at = $1 WHERE id = $2 AND closed_at IS NULL",
            )
            .bind(at)
            .bind(survey.id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            let entry = (closed > 0).then(|| {
                audit::entry!(actor: Some(actor), village: Some(survey.village_id), entity: "survey",
                    id: survey.id.to_string(), action: "close", before: None, after: None)
            });
            ((), entry)
        })
    }
}
