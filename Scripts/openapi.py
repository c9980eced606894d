#!/usr/bin/env python3
"""Writes Sources/Server/Resources/openapi.json, the OpenAPI 3.1 description of `medlocal serve`.

Edit this file, run it, and commit both: the server bundles the JSON, and ServerTests checks that every route the
server has is described here and every path described here is served.
"""
import json, pathlib

problem = {"$ref": "#/components/responses/Problem"}
def problems(*codes):
    return {str(c): problem for c in codes}
def json_body(ref):
    return {"content": {"application/json": {"schema": {"$ref": ref}}}}
job_id = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}

entity = {"type": "object", "required": ["start", "end", "type", "score", "recognizer"], "properties": {
    "start": {"type": "integer", "description": "Unicode code point offset, inclusive"},
    "end": {"type": "integer", "description": "Unicode code point offset, exclusive"},
    "type": {"type": "string", "examples": ["PERSON", "ID_NUMBER"]},
    "score": {"type": "number", "minimum": 0, "maximum": 1},
    "action": {"type": ["string", "null"], "enum": ["tag", "alert", "anonymize", "block", None]},
    "recognizer": {"type": "string"},
    "text": {"type": ["string", "null"], "description": "only with includeValues"},
    "explanation": {"type": ["string", "null"], "description": "only with explain"}}}

spec = {
  "openapi": "3.1.0",
  "info": {"title": "MedLocal", "version": "0.2.0", "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"},
           "description": "On-premises PHI detection, de-identification and document parsing. Everything under /api needs an API key "
                          "(`Authorization: Bearer mlk_…` or `X-API-Key`); errors are RFC 9457 problem details; every response carries X-Request-Id."},
  "servers": [{"url": "http://127.0.0.1:7860"}],
  "security": [{"apiKey": []}, {"bearer": []}],
  "paths": {
    "/healthz": {"get": {"summary": "The process answers", "security": [], "responses": {"200": {"description": "ok"}}}},
    "/readyz": {"get": {"summary": "The database and data folder work", "security": [],
                        "responses": {"200": {"description": "ready"}, **problems(503)}}},
    "/metrics": {"get": {"summary": "Prometheus metrics (counts only, never values)", "security": [],
                         "responses": {"200": {"description": "text exposition format", "content": {"text/plain": {"schema": {"type": "string"}}}}}}},
    "/": {"get": {"summary": "The browser UI (bundled; asks for an API key)", "security": [], "responses": {"200": {"description": "HTML"}, "304": {"description": "unchanged"}}}},
    "/ui/{asset}": {"get": {"summary": "The browser UI's scripts and styles", "security": [],
                            "parameters": [{"name": "asset", "in": "path", "required": True, "schema": {"type": "string"}}],
                            "responses": {"200": {"description": "the file"}, "304": {"description": "unchanged"}, "404": {"description": "no such file"}}}},
    "/openapi.json": {"get": {"summary": "This document", "security": [], "responses": {"200": {"description": "OpenAPI 3.1"}}}},
    "/api/v1/me": {"get": {"summary": "The caller's user name and role",
                           "responses": {"200": {"description": "the user"}, **problems(401)}}},
    "/api/v1/models": {
        "get": {"summary": "Image classifiers and their versions (classes, base, source trained/uploaded, validation accuracy and AUC, head and backbone SHA-256, deprecation reason)",
                "responses": {"200": {"description": "the model list"}, **problems(401)}},
        "post": {"summary": "Upload an externally trained ONNX image classifier with its labels as a new version (admin; audited as model.upload)",
                 "description": "The model must load, take one float image tensor [batch, 3, H, W] (square) and give one score per label; it is run on "
                                "sample images before it is stored. It is then listed, bundled (its network in the backbone's place), signed and "
                                "classified like a trained version.",
                 "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {"type": "object", "required": ["file", "name", "labels"], "properties": {
                     "file": {"type": "string", "format": "binary", "description": "the .onnx file"},
                     "name": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"},
                     "labels": {"type": "string", "description": "one class per line, in the order of the model's output"},
                     "output": {"type": "string", "description": "the output holding the scores, when several could"},
                     "size": {"type": "integer", "description": "input side for a model with a dynamic input size (default 224)"},
                     "output_kind": {"type": "string", "enum": ["logits", "probabilities"], "description": "detected from a sample run when absent"},
                     "normalization": {"type": "string", "enum": ["imagenet", "symmetric", "unit"], "default": "imagenet"},
                     "mean": {"type": "string", "description": "R,G,B in pixel units, with std; overrides normalization"},
                     "std": {"type": "string", "description": "R,G,B in pixel units, with mean"}}}}}},
                 "responses": {"201": {"description": "the new version's manifest; Location: its bundle"}, **problems(400, 401, 403, 413, 422)}}},
    "/api/v1/models/signing-key": {"get": {"summary": "The Ed25519 public key (hex) model bundles are signed with, for clients to pin",
                                           "responses": {"200": {"description": "the key"}, **problems(401)}}},
    "/api/v1/models/{name}/{version}/bundle": {"get": {
        "summary": "One version as a signed bundle (ZIP: manifest, head, backbone, signature)",
        "description": "Clients check the Ed25519 signature over the manifest and every file's SHA-256 in it before caching or running it.",
        "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}},
                       {"name": "version", "in": "path", "required": True, "schema": {"type": "integer"}}],
        "responses": {"200": {"description": "the bundle", "content": {"application/zip": {}}}, **problems(400, 401, 404)}}},
    "/api/v1/models/{name}/classify": {"post": {
        "summary": "Server-side inference (the browser's diagnosis page): the image is the body, classified in memory, never stored",
        "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}},
                       {"name": "version", "in": "query", "schema": {"type": "integer"}, "description": "default: the latest"}],
        "requestBody": {"required": True, "content": {"image/png": {}, "image/jpeg": {}, "application/dicom": {}, "application/octet-stream": {}}},
        "responses": {"200": {"description": "label, probability, probabilities and the knowledge base's advice"}, **problems(401, 404, 413, 422)}}},
    "/api/v1/models/{name}/aliases/{alias}": {"put": {
        "summary": "Point an alias (production, candidate, …) at a version (admin; audited as model.promote)",
        "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}},
                       {"name": "alias", "in": "path", "required": True, "schema": {"type": "string", "pattern": "^[a-z][a-z0-9-]{0,31}$"}}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object", "required": ["version"], "properties": {"version": {"type": "integer"}}}}}},
        "responses": {"200": {"description": "the alias and its version"}, **problems(400, 401, 403, 404, 422)}}},
    "/api/v1/models/{name}/{version}": {"delete": {
        "summary": "Delete a deprecated version's files for good; its number is never reused (admin; audited as model.delete)",
        "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}},
                       {"name": "version", "in": "path", "required": True, "schema": {"type": "integer"}}],
        "responses": {"204": {"description": "deleted"}, **problems(400, 401, 403, 404, 409)}}},
    "/api/v1/models/{name}/{version}/deprecate": {"post": {
        "summary": "Deprecate a version: it still classifies when named, the bare name moves to the newest other version, clients are warned (admin; audited as model.deprecate)",
        "description": "Refused with 409 while an alias points at the version: promote another version first.",
        "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}},
                       {"name": "version", "in": "path", "required": True, "schema": {"type": "integer"}}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object", "required": ["reason"], "properties": {"reason": {"type": "string", "maxLength": 500}}}}}},
        "responses": {"200": {"description": "the version and its reason"}, **problems(400, 401, 403, 404, 409, 422)}}},
    "/api/v1/models/train": {"post": {
        "summary": "Train a new version of a model on a ZIP of <class>/<image> folders; queues a training job (admin)",
        "description": "The dataset is checked against the archive limits before the job is queued; the job validates and cleans it, trains on the backbone's cached features and writes model.json (the version's manifest and model card).",
        "parameters": [{"name": "name", "in": "query", "required": True, "schema": {"type": "string"}},
                       {"name": "base", "in": "query", "schema": {"type": "string", "default": "efficientnet-lite0"}},
                       {"name": "X-Filename", "in": "header", "schema": {"type": "string"}}],
        "requestBody": {"required": True, "content": {"application/zip": {}, "multipart/form-data": {}}},
        "responses": {"202": {"description": "queued", **json_body("#/components/schemas/Job")}, **problems(401, 403, 413, 422)}}},
    "/api/v1/kb": {
        "get": {"summary": "The disease knowledge base as YAML (diseases with ICD-10 codes and advice; per-model label mappings)",
                "responses": {"200": {"description": "YAML", "content": {"application/yaml": {}}}, **problems(401, 503)}},
        "post": {"summary": "Add or replace diseases and label mappings from YAML, checked whole first (admin; audited as kb.import)",
                 "requestBody": {"required": True, "content": {"application/yaml": {}}},
                 "responses": {"200": {"description": "counts written"}, **problems(401, 403, 413, 422, 503)}}},
    "/api/v1/diagnosis/lookup": {"post": {
        "summary": "The knowledge base's advice for a label a client's model gave",
        "description": "Takes the result only — never an image: clients classify locally. The body is at most 4 KiB.",
        "requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object", "required": ["model", "label"], "properties": {
            "model": {"type": "string"}, "version": {"type": "integer"}, "label": {"type": "string", "maxLength": 200},
            "probability": {"type": "number", "minimum": 0, "maximum": 1}}}}}},
        "responses": {"200": {"description": "disease (or null with a message) and the disclaimer"}, **problems(400, 401, 413, 422, 503)}}},
    "/api/v1/phi/scan": {"post": {
        "summary": "Find PHI in a text under the server's policy",
        "description": "Synchronous. The response is sent once the audit record is durable. A policy block is a 403 problem naming types and offsets; nothing of the text is echoed.",
        "requestBody": {"required": True, **json_body("#/components/schemas/TextRequest")},
        "responses": {"200": {"description": "findings", **json_body("#/components/schemas/ScanResponse")}, **problems(400, 401, 403, 413)}}},
    "/api/v1/phi/redact": {"post": {
        "summary": "De-identify a text under the server's policy",
        "requestBody": {"required": True, **json_body("#/components/schemas/TextRequest")},
        "responses": {"200": {"description": "the de-identified text", **json_body("#/components/schemas/RedactResponse")}, **problems(400, 401, 403, 413)}}},
    "/api/v1/documents": {"post": {
        "summary": "Upload a PDF, DOCX or image; queues a job",
        "description": "multipart/form-data with a `file` part (and optional fields), or the bare file as the body with X-Filename. Options may also be query parameters.",
        "parameters": [{"name": "X-Filename", "in": "header", "schema": {"type": "string"}, "description": "the file name, for a bare-body upload"}],
        "requestBody": {"required": True, "content": {
            "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
                "file": {"type": "string", "contentMediaType": "application/octet-stream"},
                "formats": {"type": "string", "description": "comma list of md, json, fhir (default md,json)"},
                "ocr": {"type": "boolean", "default": True},
                "redact": {"type": "boolean", "default": False, "description": "also write result.redacted.pdf under the policy"}}}},
            "application/octet-stream": {"schema": {"type": "string", "contentMediaType": "application/octet-stream"}}}},
        "responses": {"202": {"description": "queued; Location names the job", **json_body("#/components/schemas/Job")}, **problems(400, 401, 403, 413, 422)}}},
    "/api/v1/dicom/deid": {"post": {
        "summary": "Upload one DICOM file or a ZIP of a study; queues a de-identification job",
        "description": "The job writes result.zip (every de-identified file under its path in the upload) and result.report.json (per file: status, actions counted, reason; never a value). A ZIP is checked before it is queued: too many entries, too large expanded, or expanding more than the ratio limit (default 100x) is a 413; entries whose path leaves the archive, or a file that is neither a ZIP nor DICOM, a 422.",
        "parameters": [{"name": "X-Filename", "in": "header", "schema": {"type": "string"}, "description": "the file name, for a bare-body upload"}],
        "requestBody": {"required": True, "content": {
            "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
                "file": {"type": "string", "contentMediaType": "application/octet-stream"},
                "options": {"type": "string", "description": "comma list of PS3.15 profile options: retain-safe-private, retain-uids, retain-device-identity, retain-institution-identity, retain-patient-characteristics, retain-long-full-dates, retain-long-modified-dates, clean-descriptors, clean-structured-content, clean-graphics"},
                "clean_pixels": {"type": "boolean", "default": False, "description": "find burned-in text by OCR and blank it"}}}},
            "application/octet-stream": {"schema": {"type": "string", "contentMediaType": "application/octet-stream"}}}},
        "responses": {"202": {"description": "queued; Location names the job", **json_body("#/components/schemas/Job")}, **problems(400, 401, 403, 413, 422)}}},
    "/api/v1/jobs": {"get": {
        "summary": "The caller's jobs, newest first (an admin sees everyone's)",
        "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 50}},
                       {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}},
                       {"name": "state", "in": "query", "schema": {"$ref": "#/components/schemas/JobState"}}],
        "responses": {"200": {"description": "a page", **json_body("#/components/schemas/JobList")}, **problems(400, 401)}}},
    "/api/v1/jobs/{id}": {
        "get": {"summary": "A job's state, progress and outputs", "parameters": [job_id],
                "responses": {"200": {"description": "the job", **json_body("#/components/schemas/Job")}, **problems(401, 404)}},
        "delete": {"summary": "Cancel if running, then remove the job with its input and outputs", "parameters": [job_id],
                   "responses": {"204": {"description": "removed"}, **problems(401, 404)}}},
    "/api/v1/jobs/{id}/cancel": {"post": {"summary": "Cancel a queued or running job", "parameters": [job_id],
                                          "responses": {"202": {"description": "cancelled or asked to stop", **json_body("#/components/schemas/Job")}, **problems(401, 404, 409)}}},
    "/api/v1/jobs/{id}/review": {
        "get": {"summary": "Reviewers' verdicts on the findings in result.findings.json (index -> accepted | rejected)", "parameters": [job_id],
                "responses": {"200": {"description": "{verdicts: {index: verdict}}"}, **problems(401, 404)}},
        "post": {"summary": "Accept or reject one finding (or take the verdict back with open); audited with type and offsets",
                 "parameters": [job_id],
                 "requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object", "required": ["finding", "verdict"], "properties": {
                     "finding": {"type": "integer", "minimum": 0}, "verdict": {"type": "string", "enum": ["accepted", "rejected", "open"]}}}}}},
                 "responses": {"200": {"description": "all verdicts"}, **problems(400, 401, 403, 404, 409, 422)}}},
    "/api/v1/jobs/{id}/review/apply": {"post": {
        "summary": "Carry out the review: result.md, and the document when the job redacted it, redacted again under the active policy with the verdicts applied (a rejected value stays, an accepted one is anonymized even where the policy only tags it)",
        "description": "Writes result.reviewed.md, and result.reviewed.pdf with its verification report result.reviewed.json; they join the job's outputs (the policy's own outputs stay) and a second call replaces them. Audited as job.review.apply. 409 when the job has no findings list (it needs the md format and to have succeeded) or the active policy blocks the document.",
        "parameters": [job_id],
        "responses": {"200": {"description": "{outputs, rejected, accepted, residual (PHI the verification pass still found in the reviewed copy; null without one), policy}"},
                      **problems(401, 403, 404, 409)}}},
    "/api/v1/jobs/{id}/{file}": {"get": {
        "summary": "Download an output: result.md, result.json, result.fhir.json, result.findings.json, result.redacted.pdf, result.redaction.json, result.reviewed.md, result.reviewed.pdf, result.reviewed.json, result.zip, result.report.json",
        "parameters": [job_id, {"name": "file", "in": "path", "required": True, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "the file"}, **problems(401, 404, 409, 410)}}},
    "/api/v1/jobs/{id}/{file}/{image}": {"get": {
        "summary": "Download an image: one the Markdown links (result_images/<image>), a page picture (result_pages/page-<n>.png) or a redaction preview (result_preview/result.page-<n>.preview.png)",
        "parameters": [job_id, {"name": "file", "in": "path", "required": True, "schema": {"type": "string"}},
                       {"name": "image", "in": "path", "required": True, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "the file"}, **problems(401, 404, 409, 410)}}},
    "/api/v1/integrations/dify/moderation": {"post": {
        "summary": "Dify API-based extension: content moderation (ping, app.moderation.input, app.moderation.output)",
        "description": "Configure in Dify as an API extension with this URL and a MedLocal API key. A block answers direct_output with a preset response; anonymized values answer overridden. Streamed output chunks are moderated one by one: a digit-holding run touching a chunk edge is masked.",
        "requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object", "required": ["point"], "properties": {
            "point": {"type": "string", "enum": ["ping", "app.moderation.input", "app.moderation.output"]},
            "params": {"type": "object", "properties": {"app_id": {"type": "string"}, "inputs": {"type": "object"},
                                                         "query": {"type": ["string", "null"]}, "text": {"type": "string"}}}}}}}},
        "responses": {"200": {"description": "{result: pong} or {flagged, action, preset_response | inputs, query | text}"}, **problems(400, 401, 403)}}},
    "/api/v1/policies": {
        "get": {"summary": "The active policy, the presets and the uploaded versions",
                "responses": {"200": {"description": "the listing"}, **problems(401)}},
        "post": {"summary": "Upload a policy (admin): YAML, validated; a change needs a new version",
                 "requestBody": {"required": True, "content": {"application/yaml": {"schema": {"type": "string"}}}},
                 "responses": {"201": {"description": "stored; Location names it"},
                               **problems(401, 403, 409, 422)}}},
    "/api/v1/policies/validate": {"post": {"summary": "Check a policy as an upload would, storing nothing",
                                           "requestBody": {"required": True, "content": {"application/yaml": {"schema": {"type": "string"}}}},
                                           "responses": {"200": {"description": "{valid, id, entities}"}, **problems(401, 422)}}},
    "/api/v1/policies/{id}": {"get": {"summary": "A policy's YAML (a preset name, name@version, or active for the one in force)",
                                      "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                                      "responses": {"200": {"description": "YAML"}, **problems(401, 404)}}},
    "/api/v1/policies/{id}/activate": {"post": {"summary": "Decide every later request under this policy (admin; audited; kept across restarts)",
                                                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                                                "responses": {"200": {"description": "activated"}, **problems(401, 403, 404)}}},
    "/api/v1/policies/{id}/shadow": {"post": {
        "summary": "Shadow-run a policy beside the active one over a corpus (admin; nothing activated or stored; audited)",
        "description": "The body is JSON lines {id, text[, entities]} as medlocal policy diff reads. The answer lists items whose decision changes (newly blocked first), finding action changes per type, and, when lines carry gold entities, leaked and over-redacted characters for both policies. Texts are never echoed.",
        "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
        "requestBody": {"required": True, "content": {"application/x-ndjson": {"schema": {"type": "string"}}}},
        "responses": {"200": {"description": "{candidate, active, documents, changedItems, newlyBlocked, noLongerBlocked, findingChanges, leakage?}"},
                      **problems(401, 403, 404, 413, 422)}}},
    "/api/v1/audit/verify": {"get": {
        "summary": "Verify the whole audit chain and its signed checkpoints (auditor, admin)",
        "responses": {"200": {"description": "the report", **json_body("#/components/schemas/AuditVerification")}, **problems(401, 403)}}},
    "/api/v1/audit/records": {"get": {
        "summary": "A page of audit records (auditor, admin): digests, types, offsets, never values",
        "parameters": [{"name": "after", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}},
                       {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}}],
        "responses": {"200": {"description": "records and the next `after`"}, **problems(401, 403)}}},
    "/api/v1/audit/export": {"get": {
        "summary": "Stream the audit records as JSON lines or CSV (auditor, admin)",
        "parameters": [{"name": "format", "in": "query", "schema": {"type": "string", "enum": ["jsonl", "csv"], "default": "jsonl"}},
                       {"name": "since", "in": "query", "schema": {"type": "string"}, "description": "ISO 8601 date or time"}],
        "responses": {"200": {"description": "the export", "content": {"application/x-ndjson": {}, "text/csv": {}}}, **problems(400, 401, 403)}}},
  },
  "components": {
    "securitySchemes": {"apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
                        "bearer": {"type": "http", "scheme": "bearer"}},
    "responses": {"Problem": {"description": "problem details", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}},
    "schemas": {
      "Problem": {"type": "object", "required": ["type", "title", "status", "detail"], "properties": {
          "type": {"type": "string", "examples": ["urn:medlocal:problem:policy-block"]}, "title": {"type": "string"},
          "status": {"type": "integer"}, "detail": {"type": "string"}, "requestId": {"type": "string"},
          "policy": {"type": "string", "description": "name and version of the policy that decided"},
          "errors": {"type": "array", "description": "a rejected policy's problems", "items": {"type": "object", "properties": {
              "line": {"type": ["integer", "null"]}, "field": {"type": "string"}, "message": {"type": "string"}}}},
          "blocking": {"type": "array", "items": {"type": "object", "properties": {
              "type": {"type": "string"}, "start": {"type": "integer"}, "end": {"type": "integer"}}}}}},
      "TextRequest": {"type": "object", "required": ["text"], "properties": {
          "text": {"type": "string", "maxLength": 4194304}, "documentKind": {"type": "string", "examples": ["discharge_summary"]},
          "patientId": {"type": "string", "description": "for per-patient date shifts"},
          "includeValues": {"type": "boolean", "default": False}, "explain": {"type": "boolean", "default": False}}},
      "Entity": entity,
      "ScanResponse": {"type": "object", "required": ["policy", "action", "entities"], "properties": {
          "policy": {"type": "string"}, "action": {"type": "string"}, "entities": {"type": "array", "items": {"$ref": "#/components/schemas/Entity"}}}},
      "RedactResponse": {"type": "object", "required": ["policy", "action", "text", "entities"], "properties": {
          "policy": {"type": "string"}, "action": {"type": "string"}, "text": {"type": "string"},
          "entities": {"type": "array", "items": {"$ref": "#/components/schemas/Entity"}}}},
      "AuditVerification": {"type": "object", "required": ["valid", "records", "headCount", "headHash", "checkpointsVerified", "unanchored"], "properties": {
          "valid": {"type": "boolean"}, "records": {"type": "integer"}, "firstSequence": {"type": ["integer", "null"]},
          "headCount": {"type": "integer"}, "headHash": {"type": "string"}, "checkpointsVerified": {"type": "integer"},
          "unanchored": {"type": "integer", "description": "records after the newest signed checkpoint"},
          "publicKeyFingerprint": {"type": ["string", "null"]}, "problem": {"type": ["string", "null"]},
          "problemSequence": {"type": ["integer", "null"]}}},
      "JobState": {"type": "string", "enum": ["queued", "running", "succeeded", "failed", "cancelled"]},
      "Job": {"type": "object", "required": ["id", "kind", "state", "input", "attempts", "progress", "outputs", "created", "updated"], "properties": {
          "id": {"type": "string"}, "kind": {"type": "string", "enum": ["document", "dicom", "training"]}, "state": {"$ref": "#/components/schemas/JobState"},
          "input": {"type": "string", "description": "the uploaded file's name (shown to its owner only)"},
          "options": {"type": "object", "additionalProperties": {"type": "string"}}, "attempts": {"type": "integer"},
          "progress": {"type": "object", "properties": {"done": {"type": "integer"}, "total": {"type": "integer"}}},
          "error": {"type": ["string", "null"]}, "outputs": {"type": "array", "items": {"type": "string"}},
          "created": {"type": "string", "format": "date-time"}, "updated": {"type": "string", "format": "date-time"}}},
      "JobList": {"type": "object", "required": ["jobs", "total", "limit", "offset"], "properties": {
          "jobs": {"type": "array", "items": {"$ref": "#/components/schemas/Job"}}, "total": {"type": "integer"},
          "limit": {"type": "integer"}, "offset": {"type": "integer"}}},
    }},
}

out = pathlib.Path(__file__).resolve().parent.parent / "Sources/Server/Resources/openapi.json"
out.write_text(json.dumps(spec, indent=2, ensure_ascii=False) + "\n")
print(f"wrote {out}")
