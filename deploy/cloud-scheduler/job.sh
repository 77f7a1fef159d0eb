#!/usr/bin/env bash
# Create (or update) a Cloud Scheduler job that launches the newsbeam Flex Template through
# Dataflow's REST API (projects.locations.flexTemplates.launch), authenticated with an OAuth
# token of a service account.
#
#   PROJECT=my-project REGION=us-central1 BUCKET=my-bucket TAG=abc123 ./job.sh
#
# Each launch's job commits its own run and releases the output's lock from its last step
# (deploy/dataflow/README.md, "Limits"); a launch while the last job still holds the lock exits
# with "another run holds the lock" in the launcher's log and the next tick tries again.
#
# The body is launch-body.json with ${PROJECT}, ${REGION}, ${BUCKET} and ${TAG} filled in. Its
# jobName is fixed on purpose: Dataflow refuses a second active job of the same name in a
# region, so a launch while the last run still goes fails instead of overlapping it.
#
# SCHEDULER_SA (default newsbeam-scheduler@PROJECT.iam.gserviceaccount.com) needs
# roles/dataflow.developer and roles/iam.serviceAccountUser on the worker SA.
set -euo pipefail

: "${PROJECT:?set PROJECT}" "${REGION:?set REGION}" "${BUCKET:?set BUCKET}" "${TAG:?set TAG (the image and template tag from make image/template)}"
SCHEDULE="${SCHEDULE:-0 * * * *}"
TIME_ZONE="${TIME_ZONE:-Etc/UTC}"
NAME="${NAME:-newsbeam-ingest}"
SCHEDULER_SA="${SCHEDULER_SA:-newsbeam-scheduler@${PROJECT}.iam.gserviceaccount.com}"
HERE="$(cd "$(dirname "$0")" && pwd)"

body="$(mktemp)"
trap 'rm -f "$body"' EXIT
# Only these four names are replaced; anything else in the body is kept as it is.
sed -e "s|\${PROJECT}|${PROJECT}|g" -e "s|\${REGION}|${REGION}|g" \
    -e "s|\${BUCKET}|${BUCKET}|g" -e "s|\${TAG}|${TAG}|g" "$HERE/launch-body.json" >"$body"

uri="https://dataflow.googleapis.com/v1b3/projects/${PROJECT}/locations/${REGION}/flexTemplates:launch"
args=(
    --location "$REGION" --project "$PROJECT"
    --schedule "$SCHEDULE" --time-zone "$TIME_ZONE"
    --uri "$uri" --http-method POST
    --message-body-from-file "$body"
    --oauth-service-account-email "$SCHEDULER_SA"
    --oauth-token-scope "https://www.googleapis.com/auth/cloud-platform"
    # A refused launch (the last run still active) is not retried: the next tick is soon.
    --max-retry-attempts 0
    --attempt-deadline 180s
    --description "newsbeam ingest: Flex Template launch (deploy/cloud-scheduler)"
)
header="Content-Type=application/json"
if gcloud scheduler jobs describe "$NAME" --location "$REGION" --project "$PROJECT" >/dev/null 2>&1; then
    gcloud scheduler jobs update http "$NAME" "${args[@]}" --update-headers "$header"
else
    gcloud scheduler jobs create http "$NAME" "${args[@]}" --headers "$header"
fi
