/**
 * Generated from the server's OpenAPI document (/api/docs-json) by `npm run api-types`
 * (src/bootstrap/api-types.ts). Do not edit: src/bootstrap/api-types.spec.ts fails when it drifts.
 */
export interface paths {
    "/api/settings/app-registration": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The installation’s app registration (without its secret)
         * @description Destinations and Dataverse sources without ids of their own sign in with it. The client secret is never returned: `clientSecretSet` says whether one is stored.
         */
        get: operations["AppRegistrationController_get"];
        /**
         * Set the installation’s app registration
         * @description The client secret is stored encrypted. 400 names the field when an id is malformed or the sign-in host is not allowed.
         */
        put: operations["AppRegistrationController_set"];
        post?: never;
        /**
         * Remove the installation’s app registration
         * @description Destinations and sources without ids of their own then cannot sign in.
         */
        delete: operations["AppRegistrationController_clear"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who is asking: the token or the person signed in, and their role */
        get: operations["MeController_me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The named API tokens, with their expiry and last use */
        get: operations["ApiTokensController_list"];
        put?: never;
        /**
         * Create a named API token with a role
         * @description Answers the token once: only its hash is stored. 400 when the name is blank or taken, the role unknown or `expiresAt` not in the future.
         */
        post: operations["ApiTokensController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a token: it gets 401 from the next request on */
        delete: operations["ApiTokensController_revoke"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/sign-in": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Starts a sign-in with Entra ID: redirects to the sign-in page */
        get: operations["PeopleSignInController_start"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/sign-out": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Ends the session of the cookie (needs the X-CSRF-Token header of GET /api/me) */
        post: operations["PeopleSignInController_signOut"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/config": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** How one can sign in here (no token needed) */
        get: operations["AuthConfigController_authConfig"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The audit log, newest first
         * @description Every change through the API (who, when, what, the entity before and after with secrets redacted) and sign-ins. Pages by `after` (the `next` of the previous page).
         */
        get: operations["AuditController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness and database state (no token needed) */
        get: operations["HealthController_health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/info": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What this instance runs on (checks the API token too) */
        get: operations["InfoController_info"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sources": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** All sources, by name, with their record counts and last ingests */
        get: operations["SourcesController_list"];
        put?: never;
        /**
         * Create a source
         * @description Validated as a whole; a 400 names each wrong path (`mapping.email.type`, `options.delimiter`). 409 when the name is taken (names are unique ignoring case). A field mapped by several sources must have the same type in all (the 400 names the other source). The source starts empty: upload a file to fill it.
         */
        post: operations["SourcesController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sources/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One source, with the figures of its last ingest */
        get: operations["SourcesController_get"];
        /**
         * Change a source: rename it, change its primary key, mapping, last-modified column or options
         * @description Properties left out keep their values; `type` cannot change. Validated like a new source. A changed mapping, primary key or option takes effect at the next upload: the stored records keep the values they were read with until then.
         */
        put: operations["SourcesController_update"];
        post?: never;
        /**
         * Delete a source and its records
         * @description 409 while an ingest runs on it. Customers lose its records at the next unification.
         */
        delete: operations["SourcesController_remove"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sources/{id}/records": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The source’s current records, a page at a time, by key
         * @description What the last successful ingest stored and unification reads: canonical field values, the raw unmapped columns and the last-modified time. Page with `after` = the previous page’s `next`.
         */
        get: operations["SourcesController_records"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sources/{id}/ingest": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Read a remote source now (dataverse), as every refresh does
         * @description Reads the table page by page (odata.maxpagesize, following @odata.nextLink). The first read is a full read that replaces the records when it completes; later reads use change tracking (the delta link kept from the previous read): new and changed rows are updated, deleted rows leave the source, all at once when the read completes.
         *
         *     An expired or refused delta link, or a definition changed since the last read (mapping, columns, table, server), makes it a full read again; the answer says so (mode, fullReadReason).
         *
         *     A read that fails (sign-in refused, Dataverse unreachable, a page failing midway) keeps the previous records and the previous delta link, records the failure as lastIngest and answers the error. 409 while another ingest of the source runs; 400 for an uploaded (csv) source.
         *
         *     A full read that finds no records while the source has some is refused (400, the records kept): an empty answer is more often a wrong table, filter or privilege than an emptied table. `allowEmpty=true` accepts it and empties the source. Incremental reads apply the deletions Dataverse reports.
         */
        post: operations["SourcesController_ingestNow"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sources/{id}/upload": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Upload a CSV file: it replaces the source’s records
         * @description The file as a multipart/form-data part named "file", or as the raw body (text/csv). Streamed: any size, memory stays flat.
         *
         *     The first line is the header; the source’s options give delimiter, quote and encoding (UTF-8 with or without BOM by default). Quoted fields may hold delimiters, doubled quotes and line breaks. Blank lines are skipped.
         *
         *     Rows that are wrong are rejected with their line (physical line, header = 1) and the rest is stored: wrong number of columns, empty primary key, duplicate primary key (the first row of a key is kept), a value that does not fit its field type. The answer lists the first 100.
         *
         *     A row holding the NUL character (U+0000) is rejected with its line like any other bad row; a NUL in a header name refuses the file.
         *
         *     The whole file is refused with 400 naming the line, and the source keeps its previous records untouched, when the header lacks the primary key, a mapped column or the last-modified column; when bytes are not valid in the declared encoding; when the file cannot be parsed (a quoted field never closed); when every row was rejected; or when the file has a header and no rows.
         *
         *     A file that leaves no records (a header alone, or every row rejected) empties the source only with `allowEmpty=true`: it says the source is meant to be emptied.
         *
         *     A client that goes away mid-body ends the upload at once: nothing is stored and the source is free for the next upload or delete.
         *
         *     The new records replace the old ones atomically, only when the upload succeeds. 409 while another ingest of the source runs.
         */
        post: operations["SourcesController_upload"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/unification": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The unification configuration
         * @description Match rules, deduplication within sources and merge policies. Until a configuration is saved (`saved: false`) there are no rules: every source record is its own customer, and values are merged by `mostRecent`.
         */
        get: operations["UnificationController_get"];
        /**
         * Replace the unification configuration
         * @description Validated against the customer fields and sources (400 naming each wrong path, e.g. `rules[1].conditions[0].field`). A rule with a fuzzy condition needs an exact condition (its blocking key). Takes effect at the next run.
         */
        put: operations["UnificationController_put"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/unification/run": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Unify all current source records now
         * @description Answers when done, with figures: sourceRecords, customers, recordsMerged, customersCreated / Updated / Unchanged / Merged (IDs retired into previous IDs) / Split / Deleted, identitiesWritten, durationMs, per-rule merges and warnings (`status: partial` when there are warnings). 409 while another unification runs.
         */
        post: operations["UnificationController_run"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/unification/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Whether a unification is running (with live figures) and the last run */
        get: operations["UnificationController_status"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/unification/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel the unification running in this server
         * @description It stops at its next safe point. Customers already written stay (each one whole); the next run completes the rest. 409 when none is running here.
         */
        post: operations["UnificationController_cancel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/customers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Unified customers, a page at a time
         * @description Ordered by customer ID; pass the answer's `next` as `after` for the next page. `email` finds the customer whose email field has that canonical form (trimmed, lower case); `q` searches names and e-mail (case-insensitive substring) or an exact customer ID.
         */
        get: operations["CustomersController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/customers/fields": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The customer fields and their types
         * @description `customerId` plus every field some source maps, with the sources mapping it.
         */
        get: operations["CustomersController_fields"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/customers/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One customer with its identities and previous IDs
         * @description Identities are the source records merged into the customer (source name and key). A previous ID (retired by a merge) answers 200 with the customer it was merged into: `requestedId` is the ID asked for, `mergedInto` (= `customerId`) the ID it has now.
         */
        get: operations["CustomersController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/segments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the segments (by name) */
        get: operations["SegmentsController_list"];
        put?: never;
        /**
         * Create a segment
         * @description The rule is checked against the customer fields (400 naming the path, e.g. rule.all[1].op) and refused as too costly beyond 100 conditions (400). Names are unique regardless of case (409).
         */
        post: operations["SegmentsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/segments/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Count the customers a rule matches now, with a sample; saves nothing
         * @description The server keeps answering other requests while a preview runs. 400 when the rule is invalid (naming the path) or too costly: more than 100 conditions (refused before it runs), or matching it against the customers took longer than the setting SEGMENT_QUERY_TIMEOUT_MS (30 s by default; the preview is then stopped).
         */
        post: operations["SegmentsController_preview"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/segments/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A segment with its membership figures (size, last evaluation, added / removed then) */
        get: operations["SegmentsController_get"];
        /**
         * Replace a segment (a changed rule takes effect at the next evaluation)
         * @description The rule is checked as on create: 400 naming the path, or as too costly beyond 100 conditions.
         */
        put: operations["SegmentsController_update"];
        post?: never;
        /** Delete a segment and its membership */
        delete: operations["SegmentsController_remove"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/segments/{id}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Page through the members (as of the last evaluation) with their fields */
        get: operations["SegmentsController_members"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/segments/{id}/evaluate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Evaluate an active segment now
         * @description Materializes its membership as a refresh would; 409 when inactive or when its rule no longer fits the customer fields; 400 when its rule is too costly (more than 100 conditions, or matching it took longer than SEGMENT_QUERY_TIMEOUT_MS, 30 s by default). The membership then stays as it was, with the reason in lastError.
         */
        post: operations["SegmentsController_evaluate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/segment-operators": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The operators a segment condition accepts, per customer-field type */
        get: operations["RuleOperatorsController_operators"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a refresh: ingest → unify → segments → export
         * @description Answers at once with the run (202). While another refresh is queued or running: 409 with runningRunId.
         */
        post: operations["RefreshController_start"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/refresh/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Refresh runs, newest first */
        get: operations["RefreshController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/refresh/runs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One refresh run with its stages (figures are live while it runs) */
        get: operations["RefreshController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/refresh/runs/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a queued or running refresh at its next safe point
         * @description 202 with the run (still running until it reaches a safe point); 409 when it has already ended.
         */
        post: operations["RefreshController_cancel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/schedule": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The refresh schedule (off by default) and when it runs next */
        get: operations["ScheduleController_get"];
        /**
         * Set the refresh schedule; applied at once and after restarts
         * @description An invalid cron expression or time zone answers 400 naming the field.
         */
        put: operations["ScheduleController_update"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/destination-types": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The destination types of this server, with their configuration schemas
         * @description Each type says what its `config` looks like (JSON Schema), which fields are secret, its sync modes, whether it needs a member key (`contactIdField`) and whether it offers an interactive sign-in.
         */
        get: operations["DestinationTypesController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/destinations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every destination, by name, with its last run */
        get: operations["DestinationsController_list"];
        put?: never;
        /**
         * Create a destination (saving does not run an export)
         * @description `config` is validated against the type's schema, then by the type itself; `contactIdField` must be a customer field (required when the type has a memberKey); segments must exist. Every problem is reported with its path (`config.auth.clientId`, `segmentIds[1]`). Secret values are stored encrypted and never returned.
         */
        post: operations["DestinationsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/destinations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One destination (which secrets are set, never their values) */
        get: operations["DestinationsController_get"];
        /**
         * Update a destination
         * @description Properties left out keep their values. A `config` replaces the configuration, except secret fields: left out, the stored value is kept; `null` clears it. The type cannot change.
         */
        put: operations["DestinationsController_update"];
        post?: never;
        /**
         * Delete a destination with its run history and checkpoints
         * @description What was exported stays in the target (marketing lists, files): Audience Sync never deletes it. 409 while an export of the destination runs.
         */
        delete: operations["DestinationsController_remove"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/destinations/{id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Check the connection without changing anything
         * @description `ok: false` with what is wrong and what to do when the check fails.
         */
        post: operations["DestinationsController_test"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/destinations/{id}/targets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Existing objects of the target a segment can be exported to
         * @description For Dynamics 365 Sales: the active static contact lists (at most 500, by name), to choose as `config.lists[segmentId].listId`. 400 for types without; 409 when the target cannot be read.
         */
        get: operations["DestinationsController_targets"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/destinations/{id}/sign-in": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start the interactive sign-in (device code) of a type that offers one
         * @description Answers the code and the address where a person signs in; the sign-in completes in the background and the destination then shows `signIn.status: "signed-in"` and who. 400 for types without a sign-in.
         */
        post: operations["DestinationsController_signIn"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/destinations/{id}/dry-run": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * What an export would do now, without doing it (dry run)
         * @description Computes, for each of the destination's segments, the members the export would add and remove, those it would skip (no contact id; known missing in the target), an estimate of the requests, and up to 10 members to add and to remove. Nothing is written (no request to the target, no change to checkpoints or lists). `status: "held"` means the removal limit would stop that segment before any write. The figures assume the target still holds what Audience Sync exported (a list changed by hand is corrected by the export itself); `skippedNotInTarget` is null before a segment's first export (unknown without writing).
         */
        post: operations["DestinationsController_dryRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/destinations/{id}/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The destination's export runs, newest first */
        get: operations["DestinationsController_listRuns"];
        put?: never;
        /**
         * Export now
         * @description Answers the queued run at once (202). 409 with runningRunId while an export of this destination runs, and 409 "Nothing to export" when it has no segments. `fullSync` re-checks everything; `trigger: "ui"` records a click in the admin UI. `approveRemovals` lets this run remove past the removal limit (segments held by an earlier run go).
         */
        post: operations["DestinationsController_startRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/export-runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Export runs of every destination, newest first
         * @description With `refreshRunId`: only the export runs that refresh run started.
         */
        get: operations["ExportRunsController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/export-runs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One export run with its figures per segment (live while it runs) */
        get: operations["ExportRunsController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/export-runs/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a queued or running export at its next batch
         * @description 202 with the run (still running until it stops; what landed is kept and the next run goes on from there); 409 when it has already ended.
         */
        post: operations["ExportRunsController_cancel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/export-runs/{id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve the removals of the segments a run held at the removal limit
         * @description Exports the held segments now in a new run that may remove past the limit (202 with that run; its `approveRemovals` is true) and marks them approved on the held run (`hold.approvedAt`, `hold.approvedRunId`). 409 when the run holds nothing (not held, or approved already), or with runningRunId while another export of the destination runs.
         */
        post: operations["ExportRunsController_approve"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/export-runs/{id}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Each member's outcome in an export run (the per-member log)
         * @description Members added, removed, skipped (no contact id, not found in the target, invalid) or failed, with the reason in words, ordered by segment, contact id and customer id. Keyset pages: give `next` as `after`. With `Accept: text/csv` every matching member is streamed as CSV (`limit` and `after` do not apply). Logs are kept for MEMBER_LOG_RETENTION_DAYS (30 by default); older runs answer no members. 404 for an unknown run; 400 for a bad parameter or a segment not exported by the run.
         */
        get: operations["ExportRunMembersController_members"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/destinations/{id}/explain": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Why a customer is (or is not) on the lists of a destination
         * @description For each of the destination's segments: membership and since when, the contact id, whether the contact was found in the target at the last export, what the last run did with it (from the per-member log) and one sentence saying why. Give `customerId` or `contactId` (exactly one; 400 otherwise); 404 for an unknown destination or customer.
         */
        get: operations["ExplainController_explain"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every notification channel (never a secret) */
        get: operations["NotificationsController_list"];
        put?: never;
        /**
         * Create a notification channel (a webhook or e-mail)
         * @description Events: `run.failed`, `run.partial`, `run.held` (a segment waits for approval of its removals), `run.recovered` (the first success after a failed or partial run), `skipped.threshold` (skipped members above the destination's `skippedAlertPercent`). A webhook receives the event as JSON, signed with HMAC-SHA256 of the raw body with its secret in `X-Audience-Sync-Signature: sha256=<hex>`, with `X-Audience-Sync-Event-Id` and `X-Audience-Sync-Timestamp`; failed deliveries are retried with exponential backoff. Webhook hosts resolving to loopback, private or link-local addresses are refused unless named in NOTIFY_ALLOWED_HOSTS. E-mail needs SMTP_URL.
         */
        post: operations["NotificationsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/notifications/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One notification channel */
        get: operations["NotificationsController_get"];
        /**
         * Update a notification channel
         * @description Properties left out keep their values; the type cannot change. A webhook whose address changes needs its secret again.
         */
        put: operations["NotificationsController_update"];
        post?: never;
        /** Delete a notification channel and its delivery log */
        delete: operations["NotificationsController_remove"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/notifications/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The channel's delivery log, newest first
         * @description Each delivery: status, attempts, last error, response code and times.
         */
        get: operations["NotificationsController_deliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/notifications/{id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a test event to the channel now
         * @description Answers the delivery: `delivered`, or `pending` with the error (it is retried like any other).
         */
        post: operations["NotificationsController_test"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        AppRegistrationDoc: {
            /** @description Whether an app registration is set */
            configured: boolean;
            clientId: string | null;
            tenantId: string | null;
            authorityHost: string | null;
            /** @description Whether a client secret is stored (its value is never returned) */
            clientSecretSet: boolean;
        };
        AppRegistrationDto: {
            /** @description Application (client) id of the Entra ID app registration (a GUID) */
            clientId: string;
            /** @description Directory (tenant) id or verified domain; empty: Sales accounts sign in at `organizations` and the tenant is the account’s */
            tenantId?: string | null;
            /** @description Client secret (for application sign-ins). Absent: the stored one is kept while the client id and sign-in host stay the same; null: removed. Never returned. */
            clientSecret?: string | null;
            /** @description https://host[:port] of the sign-in host; empty: the Microsoft cloud of each server address */
            authorityHost?: string | null;
        };
        MeDoc: {
            /** @enum {string} */
            kind: "admin-token" | "api-token" | "user";
            /** @description 'admin', the API token's id, or the person's Entra ID object id */
            id: string;
            name: string;
            /** @enum {string} */
            role: "admin" | "editor" | "operator" | "viewer";
            /** @description The person's user name (people only) */
            username?: string;
            /** @description People only: send it as the X-CSRF-Token header on every POST, PUT, PATCH and DELETE */
            csrfToken?: string;
        };
        CreateApiTokenDto: {
            /** @example nightly export script */
            name: string;
            /** @enum {string} */
            role: "admin" | "editor" | "operator" | "viewer";
            /**
             * Format: date-time
             * @description When the token stops working (in the future); none: it works until revoked
             */
            expiresAt?: string;
        };
        CreatedApiTokenDoc: {
            id: string;
            name: string;
            /** @enum {string} */
            role: "admin" | "editor" | "operator" | "viewer";
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            expiresAt: string | null;
            /**
             * Format: date-time
             * @description Last request with the token (to the minute); null: never used
             */
            lastUsedAt: string | null;
            /** @description Whether its expiry has passed (it gets 401) */
            expired: boolean;
            /** @description The token: shown only in this answer, never again */
            token: string;
        };
        ApiTokenDoc: {
            id: string;
            name: string;
            /** @enum {string} */
            role: "admin" | "editor" | "operator" | "viewer";
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            expiresAt: string | null;
            /**
             * Format: date-time
             * @description Last request with the token (to the minute); null: never used
             */
            lastUsedAt: string | null;
            /** @description Whether its expiry has passed (it gets 401) */
            expired: boolean;
        };
        AuthConfigDoc: {
            /** @description Whether people can sign in with Entra ID */
            peopleSignIn: boolean;
            /** @description Where the browser goes to sign in (when they can) */
            signInUrl?: string;
        };
        AuditActorDoc: {
            /** @enum {string} */
            kind: "admin-token" | "api-token" | "user";
            id: string;
            name: string;
        };
        AuditEntryDoc: {
            id: number;
            /** Format: date-time */
            at: string;
            /** @description null: nobody identified */
            actor: components["schemas"]["AuditActorDoc"] | null;
            /** @example update */
            action: string;
            /** @example destination */
            entity: string;
            entityId: string | null;
            /** @description The entity before, secrets redacted */
            before: {
                [key: string]: unknown;
            } | null;
            /** @description The entity after, secrets redacted */
            after: {
                [key: string]: unknown;
            } | null;
            ip: string | null;
        };
        AuditPageDoc: {
            items: components["schemas"]["AuditEntryDoc"][];
            /** @description Pass as `after` for older entries */
            next: string | null;
        };
        FieldMappingDto: {
            /**
             * @description Column of the file (header name) holding the value
             * @example Email
             */
            column: string;
            /**
             * @description How values are read and stored. number: a decimal number such as 42, -3.5 or 1e6 (dot as decimal separator, no thousands separators). date: an ISO-8601 date or date-time such as 2024-05-01, 2024-05-01T10:00:00Z or 2024-05-01 10:00:00+02:00 (no zone: UTC), stored as UTC YYYY-MM-DDTHH:mm:ss.sssZ. boolean: true/false, yes/no, y/n, t/f or 1/0, in any case. string: kept as written. Blank values are absent.
             * @default string
             * @enum {string}
             */
            type: "string" | "number" | "date" | "boolean";
        };
        CsvOptionsDto: {
            /**
             * @description One character between fields
             * @default ,
             * @example ;
             */
            delimiter: string;
            /**
             * @description One character around fields that hold delimiters, quotes or line breaks; doubled inside them
             * @default "
             */
            quote: string;
            /**
             * @description Text encoding of uploads: utf-8 (with or without BOM), utf-16le/be, windows-125x, iso-8859-x, shift_jis, gbk, big5… (labels such as latin1 are stored as their canonical name, windows-1252). A wrong name is answered with the supported list.
             * @default utf-8
             */
            encoding: string;
        };
        DataverseAuthDto: {
            /**
             * @description An app registration with a client secret, added to the organization as an application user with read access to the table
             * @default clientCredentials
             * @enum {string}
             */
            kind: "clientCredentials";
            /** @description Directory (tenant) id, or a verified domain; absent: the one of the app registration in Settings */
            tenantId?: string;
            /** @description Application (client) id (GUID); absent (with no client secret): the app registration in Settings signs in */
            clientId?: string;
            /** @description The secret’s Value. Required when creating; left out on update, the stored one is kept (unless the client id changes). Stored encrypted, never returned: the source shows secrets["auth.clientSecret"] = "set". */
            clientSecret?: string;
            /** @description https://host[:port] of the Entra ID sign-in; default: the Microsoft cloud of the server address. Other hosts must be in ALLOWED_HOSTS. */
            authorityHost?: string;
        };
        DataverseOptionsDto: {
            /** @description Organization URL (https only; the Dynamics 365 clouds, or a host in ALLOWED_HOSTS), e.g. https://contoso.crm.dynamics.com */
            serverAddress: string;
            auth: components["schemas"]["DataverseAuthDto"];
            /**
             * @description Entity set name of the table
             * @default contacts
             */
            table: string;
            /**
             * @description Extra columns (logical names) to read and keep as raw attributes; the primary key, mapped columns and the last-modified column are always read
             * @default []
             */
            columns: string[];
            /**
             * @description Rows per page (Prefer: odata.maxpagesize)
             * @default 5000
             */
            pageSize: number;
        };
        CreateSourceDto: {
            /**
             * @description Unique name (case-insensitive), 1-200 characters
             * @example crm
             */
            name: string;
            /**
             * @description Source type: csv (uploaded files) or dataverse (a Dataverse table such as Dynamics 365 contacts, read by POST /api/sources/{id}/ingest and by every refresh).
             * @example csv
             */
            type: string;
            /**
             * @description Column holding each record’s key, unique within a file
             * @example ContactId
             */
            primaryKey: string;
            /**
             * @description Customer field → column. A field name is an identifier (email, firstName, lifetimeValue, contactId); customerId is reserved. A bare column name maps a string field; { column, type } picks the type. A field mapped by several sources has the same type in all. Columns not mapped (and not the primary key) are kept as raw attributes of each record.
             * @example {
             *       "email": "Email",
             *       "firstName": "FirstName",
             *       "birthDate": {
             *         "column": "BirthDate",
             *         "type": "date"
             *       },
             *       "lifetimeValue": {
             *         "column": "LTV",
             *         "type": "number"
             *       }
             *     }
             */
            mapping: {
                [key: string]: string | components["schemas"]["FieldMappingDto"];
            };
            /**
             * @description Column with the time each record last changed (ISO-8601), used by the mostRecent / leastRecent merge policies. Its text stays in raw unless mapped.
             * @example ModifiedOn
             */
            lastModifiedColumn?: string | null;
            /** @description Options of the type. csv: the dialect (CsvOptionsDto). dataverse: { serverAddress, auth: { kind: "clientCredentials", tenantId, clientId, clientSecret, authorityHost? }, table?, columns?, pageSize? } (DataverseOptionsDto); the client secret is stored encrypted and never returned. */
            options?: {
                [key: string]: unknown;
            };
        };
        RowErrorDto: {
            /**
             * @description Physical line of the file (the header is line 1)
             * @example 12
             */
            line: number;
            /** @example column "BirthDate" (field birthDate): "31/02/2020" is not a date (expected …) */
            message: string;
        };
        IngestSummaryDto: {
            /** @description Data rows read (blank lines are not rows) */
            rowsRead: number;
            /** @description Records stored: the source now holds exactly these */
            rowsStored: number;
            /** @description Rows rejected (wrong column count, empty or duplicate key, a value that does not fit its type) */
            rowsRejected: number;
            /** @description The first 100 rejected rows, by line */
            errors: components["schemas"]["RowErrorDto"][];
            /** Format: date-time */
            startedAt: string;
            /** Format: date-time */
            finishedAt: string;
            /** @enum {string} */
            status: "succeeded" | "failed";
            /** @description Why the ingest failed (the previous records were kept) */
            error?: string;
        };
        SourceDto: {
            /** Format: uuid */
            id: string;
            name: string;
            /** @example csv */
            type: string;
            primaryKey: string;
            /** @description Customer field → { column, type } */
            mapping: {
                [key: string]: components["schemas"]["FieldMappingDto"];
            };
            lastModifiedColumn: string | null;
            /** @description Options with defaults filled in */
            options: {
                [key: string]: unknown;
            };
            /** @description Records currently stored (from the last successful ingest) */
            recordCount: number;
            /** @description An ingest is running on this source right now */
            ingesting: boolean;
            /** @description The last ingest, successful or failed (a failed one kept the previous records) */
            lastIngest: components["schemas"]["IngestSummaryDto"] | null;
            /** @description Types with secret options (dataverse): whether each secret is stored, by option path (e.g. { "auth.clientSecret": "set" }); values are never returned */
            secrets?: {
                [key: string]: "set" | "not set";
            };
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        SourceRecordDto: {
            /** @description The record’s primary key */
            key: string;
            /** @description Mapped fields in their canonical form (dates as UTC ISO-8601); blank values are absent */
            fields: {
                [key: string]: unknown;
            };
            /** @description Columns that are not mapped (nor the primary key), as written in the file */
            raw: {
                [key: string]: string;
            };
            /** Format: date-time */
            lastModified: string | null;
        };
        RecordPageDto: {
            items: components["schemas"]["SourceRecordDto"][];
            /** @description Cursor of the next page; null on the last */
            next: string | null;
        };
        UpdateSourceDto: {
            /**
             * @description Unique name (case-insensitive), 1-200 characters
             * @example crm
             */
            name?: string;
            /**
             * @description Source type: csv (uploaded files) or dataverse (a Dataverse table such as Dynamics 365 contacts, read by POST /api/sources/{id}/ingest and by every refresh).
             * @example csv
             */
            type?: string;
            /**
             * @description Column holding each record’s key, unique within a file
             * @example ContactId
             */
            primaryKey?: string;
            /**
             * @description Customer field → column. A field name is an identifier (email, firstName, lifetimeValue, contactId); customerId is reserved. A bare column name maps a string field; { column, type } picks the type. A field mapped by several sources has the same type in all. Columns not mapped (and not the primary key) are kept as raw attributes of each record.
             * @example {
             *       "email": "Email",
             *       "firstName": "FirstName",
             *       "birthDate": {
             *         "column": "BirthDate",
             *         "type": "date"
             *       },
             *       "lifetimeValue": {
             *         "column": "LTV",
             *         "type": "number"
             *       }
             *     }
             */
            mapping?: {
                [key: string]: string | components["schemas"]["FieldMappingDto"];
            };
            /**
             * @description Column with the time each record last changed (ISO-8601), used by the mostRecent / leastRecent merge policies. Its text stays in raw unless mapped.
             * @example ModifiedOn
             */
            lastModifiedColumn?: string | null;
            /** @description Options of the type. csv: the dialect (CsvOptionsDto). dataverse: { serverAddress, auth: { kind: "clientCredentials", tenantId, clientId, clientSecret, authorityHost? }, table?, columns?, pageSize? } (DataverseOptionsDto); the client secret is stored encrypted and never returned. */
            options?: {
                [key: string]: unknown;
            };
        };
        DataverseIngestSummaryDto: {
            /** @description Data rows read (blank lines are not rows) */
            rowsRead: number;
            /** @description Records stored: the source now holds exactly these */
            rowsStored: number;
            /** @description Rows rejected (wrong column count, empty or duplicate key, a value that does not fit its type) */
            rowsRejected: number;
            /** @description The first 100 rejected rows, by line */
            errors: components["schemas"]["RowErrorDto"][];
            /** Format: date-time */
            startedAt: string;
            /** Format: date-time */
            finishedAt: string;
            /** @enum {string} */
            status: "succeeded" | "failed";
            /** @description Why the ingest failed (the previous records were kept) */
            error?: string;
            /**
             * @description full: every row read, replacing the records; incremental: only the changes since the last read (change tracking)
             * @enum {string}
             */
            mode: "full" | "incremental";
            /** @description Why this was a full read although the last read left a delta link (expired or refused by Dataverse, definition changed) */
            fullReadReason?: string;
            /** @description Pages read */
            pages: number;
            /** @description HTTP requests sent to Dataverse (retries included) */
            requests: number;
            /** @description 429 answers met (waited out as Retry-After said) */
            throttled: number;
            /** @description Incremental reads: records new to the source */
            added?: number;
            /** @description Incremental reads: records that changed */
            updated?: number;
            /** @description Incremental reads: records that left the source (deleted in Dataverse, or now rejected) */
            removed?: number;
            notes?: string[];
        };
        UploadResultDto: {
            /** @description Data rows read (blank lines are not rows) */
            rowsRead: number;
            /** @description Records stored: the source now holds exactly these */
            rowsStored: number;
            /** @description Rows rejected (wrong column count, empty or duplicate key, a value that does not fit its type) */
            rowsRejected: number;
            /** @description The first 100 rejected rows, by line */
            errors: components["schemas"]["RowErrorDto"][];
            /** Format: date-time */
            startedAt: string;
            /** Format: date-time */
            finishedAt: string;
            /**
             * @description A refused file is answered with an error instead
             * @enum {string}
             */
            status: "succeeded";
        };
        CustomerSummaryDoc: {
            /** @example cus_000000000042 */
            customerId: string;
            /** @description The customer's merged fields (dates as UTC ISO-8601 text) */
            fields: {
                [key: string]: string | number | boolean;
            };
            /** @description Source records merged into the customer */
            recordCount: number;
            createdAt: string;
            updatedAt: string;
        };
        CustomerPageDoc: {
            items: components["schemas"]["CustomerSummaryDoc"][];
            /** @description Pass as `after` for the next page; null on the last page */
            next: string | null;
        };
        CustomerFieldDoc: {
            /** @example email */
            name: string;
            /** @enum {string} */
            type: "string" | "number" | "date" | "boolean";
            /** @description Names of the sources mapping the field (empty for customerId) */
            sources: string[];
        };
        CustomerIdentityDoc: {
            sourceId: string;
            /** @description Name of the source (null if it was deleted since the last unification) */
            source: string | null;
            /** @description The record's key in its source */
            key: string;
        };
        CustomerDetailDoc: {
            /** @example cus_000000000042 */
            customerId: string;
            /** @description The customer's merged fields (dates as UTC ISO-8601 text) */
            fields: {
                [key: string]: string | number | boolean;
            };
            /** @description Source records merged into the customer */
            recordCount: number;
            createdAt: string;
            updatedAt: string;
            identities: components["schemas"]["CustomerIdentityDoc"][];
            /** @description True when only the first 1,000 identities are listed */
            identitiesTruncated: boolean;
            /** @description IDs this customer absorbed by merges */
            previousIds: string[];
            /** @description The previous ID the request named */
            requestedId?: string;
            /** @description The customer that ID was merged into (= customerId) */
            mergedInto?: string;
            /** @description When that merge happened */
            mergedAt?: string;
        };
        SegmentBodyDto: {
            /**
             * @description Unique, regardless of case
             * @example DACH high value
             */
            name: string;
            description?: Record<string, never> | null;
            /**
             * @description Inactive segments are neither evaluated nor exported
             * @default true
             */
            active: boolean;
            /**
             * @description A tree of groups ({ "all": [...] } or { "any": [...] }) and conditions ({ "field", "op", "value", "caseSensitive"? }). Operators by field type — string: eq, ne, in, notIn, contains, startsWith, endsWith; number: eq, ne, in, notIn, gt, gte, lt, lte, between; date: eq, ne, gt, gte, lt, lte, between, withinLast / olderThan ({ "amount", "unit": "days" | "weeks" | "months" }); boolean: eq, ne; every type: isEmpty, isNotEmpty (no value). String comparisons ignore case unless "caseSensitive": true. Limits: groups nest up to 10 levels; at most 100 conditions per rule (each is computed for every customer; more is refused with 400 as too costly), 1000 values per list and 10000 per rule, strings of up to 1000 characters.
             * @example {
             *       "all": [
             *         {
             *           "field": "country",
             *           "op": "in",
             *           "value": [
             *             "DE",
             *             "AT",
             *             "CH"
             *           ]
             *         },
             *         {
             *           "any": [
             *             {
             *               "field": "lifetimeValue",
             *               "op": "gte",
             *               "value": 500
             *             },
             *             {
             *               "field": "lastPurchaseAt",
             *               "op": "withinLast",
             *               "value": {
             *                 "amount": 90,
             *                 "unit": "days"
             *               }
             *             }
             *           ]
             *         },
             *         {
             *           "field": "email",
             *           "op": "isNotEmpty"
             *         }
             *       ]
             *     }
             */
            rule: {
                [key: string]: unknown;
            };
        };
        MembershipDoc: {
            /** @description Members after the last evaluation */
            size: number;
            /** @description Last evaluation (ISO-8601 UTC); null: never */
            evaluatedAt: string | null;
            /** @description Members that joined at the last evaluation */
            added: number;
            /** @description Members that left at the last evaluation */
            removed: number;
            /** @description The rule changed since the last evaluation, or there was none */
            stale: boolean;
            /** @description Why the last evaluation failed; the membership then stayed as it was */
            lastError: string | null;
            lastErrorAt: string | null;
        };
        SegmentDoc: {
            id: string;
            name: string;
            description: string | null;
            active: boolean;
            rule: {
                [key: string]: unknown;
            };
            membership: components["schemas"]["MembershipDoc"];
            createdAt: string;
            updatedAt: string;
        };
        PreviewDto: {
            /**
             * @description A tree of groups ({ "all": [...] } or { "any": [...] }) and conditions ({ "field", "op", "value", "caseSensitive"? }). Operators by field type — string: eq, ne, in, notIn, contains, startsWith, endsWith; number: eq, ne, in, notIn, gt, gte, lt, lte, between; date: eq, ne, gt, gte, lt, lte, between, withinLast / olderThan ({ "amount", "unit": "days" | "weeks" | "months" }); boolean: eq, ne; every type: isEmpty, isNotEmpty (no value). String comparisons ignore case unless "caseSensitive": true. Limits: groups nest up to 10 levels; at most 100 conditions per rule (each is computed for every customer; more is refused with 400 as too costly), 1000 values per list and 10000 per rule, strings of up to 1000 characters.
             * @example {
             *       "all": [
             *         {
             *           "field": "country",
             *           "op": "in",
             *           "value": [
             *             "DE",
             *             "AT",
             *             "CH"
             *           ]
             *         },
             *         {
             *           "any": [
             *             {
             *               "field": "lifetimeValue",
             *               "op": "gte",
             *               "value": 500
             *             },
             *             {
             *               "field": "lastPurchaseAt",
             *               "op": "withinLast",
             *               "value": {
             *                 "amount": 90,
             *                 "unit": "days"
             *               }
             *             }
             *           ]
             *         },
             *         {
             *           "field": "email",
             *           "op": "isNotEmpty"
             *         }
             *       ]
             *     }
             */
            rule: {
                [key: string]: unknown;
            };
            /**
             * @description Customers in the sample
             * @default 10
             */
            sampleSize: number;
            /**
             * @description A customer field a destination keys members on (e.g. the Sales contact id): the answer also says how many matching customers have a value in it (the others would be skipped).
             * @example contactid
             */
            keyField?: string;
        };
        CustomerRowDoc: {
            customerId: string;
            /** @description The customer's fields; null when the customer is gone since the evaluation */
            fields: {
                [key: string]: unknown;
            } | null;
        };
        KeyCountDoc: {
            /** @description The customer field asked as `keyField` */
            field: string;
            /** @description Matching customers with a value in it */
            count: number;
        };
        PreviewDoc: {
            /** @description Customers matching the rule now */
            count: number;
            /** @description The first matching customers by id */
            sample: components["schemas"]["CustomerRowDoc"][];
            /** @description With `keyField` asked: how many matching customers have a value in that field */
            withKey?: components["schemas"]["KeyCountDoc"];
        };
        MembersPageDoc: {
            items: components["schemas"]["CustomerRowDoc"][];
            /** @description Pass as ?cursor= for the next page; null on the last one */
            nextCursor: string | null;
        };
        /** @enum {string} */
        RuleOperator: "eq" | "ne" | "in" | "notIn" | "contains" | "startsWith" | "endsWith" | "gt" | "gte" | "lt" | "lte" | "between" | "withinLast" | "olderThan" | "isEmpty" | "isNotEmpty";
        OperatorsByTypeDoc: {
            string: components["schemas"]["RuleOperator"][];
            number: components["schemas"]["RuleOperator"][];
            date: components["schemas"]["RuleOperator"][];
            boolean: components["schemas"]["RuleOperator"][];
        };
        RuleOperatorsDoc: {
            /** @description The operators each customer-field type accepts */
            byType: components["schemas"]["OperatorsByTypeDoc"];
            /** @description Operators that compare text and so accept "caseSensitive" */
            text: components["schemas"]["RuleOperator"][];
        };
        OwnerDoc: {
            host: string;
            pid: number;
        };
        StageDoc: {
            /** @enum {string} */
            name: "ingest" | "unify" | "segments" | "export";
            /** @enum {string} */
            status: "pending" | "running" | "succeeded" | "partial" | "failed" | "skipped" | "canceled";
            startedAt: string | null;
            finishedAt: string | null;
            /** @description Live while the stage runs */
            figures: {
                [key: string]: unknown;
            };
            /** @description Errors in words, each saying what and where */
            errors: string[];
            /** @description Why it was skipped, or how it ended */
            note: string | null;
        };
        RefreshRunDoc: {
            id: string;
            /** @enum {string} */
            trigger: "schedule" | "api" | "cli";
            /** @enum {string} */
            status: "queued" | "running" | "succeeded" | "partial" | "failed" | "canceled" | "skipped";
            createdAt: string;
            startedAt: string | null;
            finishedAt: string | null;
            durationMs: number | null;
            /** @description Why it failed, was canceled or skipped */
            error: string | null;
            cancelRequestedAt: string | null;
            /** @description The process running it */
            owner: components["schemas"]["OwnerDoc"] | null;
            heartbeatAt: string | null;
            stages: components["schemas"]["StageDoc"][];
        };
        RefreshRunsPageDoc: {
            items: components["schemas"]["RefreshRunDoc"][];
            nextCursor: string | null;
        };
        LastScheduledRunDoc: {
            id: string;
            status: string;
            createdAt: string;
        };
        ScheduleViewDoc: {
            /** @description Off by default */
            enabled: boolean;
            /**
             * @description Cron expression: 5 fields (minute hour day month weekday), or 6 with seconds first
             * @example 0 3 * * *
             */
            cron: string;
            /**
             * @description IANA time zone the cron expression is read in
             * @example Europe/Berlin
             */
            timeZone: string;
            /** @description Next scheduled refresh (null when disabled) */
            nextRunAt: string | null;
            lastScheduledRun: components["schemas"]["LastScheduledRunDoc"] | null;
        };
        ScheduleDto: {
            /** @description Off by default */
            enabled: boolean;
            /**
             * @description Cron expression: 5 fields (minute hour day month weekday), or 6 with seconds first
             * @example 0 3 * * *
             */
            cron: string;
            /**
             * @description IANA time zone the cron expression is read in
             * @example Europe/Berlin
             */
            timeZone: string;
        };
        DestinationTypeDoc: {
            /** @example file */
            type: string;
            displayName: string;
            description: string;
            /** @description JSON Schema (2020-12 subset) of `config`; `x-` keywords are UI hints */
            configSchema: {
                [key: string]: unknown;
            };
            /** @description Dotted paths of secret values in `config` */
            secretFields: string[];
            syncModes: ("mirror" | "additive")[];
            /** @enum {string} */
            defaultSyncMode: "mirror" | "additive";
            /** @description What contactIdField must hold; null when the type needs no member key */
            memberKey: {
                [key: string]: unknown;
            } | null;
            /** @enum {string} */
            exportStyle: "changes" | "snapshot";
            signIn?: {
                [key: string]: unknown;
            };
        };
        RemovalLimitDto: {
            /**
             * @description Share of the list (0–100) one export may remove; null: no share limit. Default 10.
             * @example 10
             */
            percent?: number | null;
            /**
             * @description Members one export may remove whatever the list size; null: no count limit. Default 10,000.
             * @example 10000
             */
            count?: number | null;
            /**
             * @description Removals up to this many never hold a segment (small lists churn). Default 10.
             * @example 10
             */
            minimum?: number;
        };
        CreateDestinationDto: {
            /**
             * @description Destination type id (see GET /api/destination-types)
             * @example file
             */
            type: string;
            /**
             * @description Unique name shown in lists and run records
             * @example Sales (EU)
             */
            displayName: string;
            /**
             * @description Settings of the type, validated against its configSchema. Secret fields (the type's secretFields) are stored encrypted and never returned: omit one to keep the stored value, send null to clear it.
             * @example {
             *       "folder": "segments",
             *       "format": "csv",
             *       "fields": [
             *         "customerId",
             *         "email"
             *       ]
             *     }
             */
            config: {
                [key: string]: unknown;
            };
            /**
             * @description Customer field holding each member's key in the target (the Dynamics 365 contact id). Required when the type has a memberKey; members without a value are skipped and counted.
             * @example contactId
             */
            contactIdField?: string | null;
            /**
             * @description Segments to export, in this order
             * @default []
             */
            segmentIds: string[];
            /**
             * @description How the target follows the segment; default: the type's defaultSyncMode
             * @enum {string}
             */
            syncMode?: "mirror" | "additive";
            /**
             * @description Exported by every refresh when true. Saving never runs an export.
             * @default true
             */
            enabled: boolean;
            /** @description Removal guardrail of mirror exports (default on: hold a segment that would remove more than 10 members and more than 10% of its list or more than 10,000). null: back to the default. */
            removalLimit?: components["schemas"]["RemovalLimitDto"] | null;
            /**
             * @description Percent (0-100) of members skipped (no key, not found, invalid) above which a run sends the `skipped.threshold` notification; null: never.
             * @example 10
             */
            skippedAlertPercent?: number | null;
        };
        RemovalLimitViewDoc: {
            /** @example 10 */
            percent: number | null;
            /** @example 10000 */
            count: number | null;
            /** @example 10 */
            minimum: number;
        };
        SignedInUserDoc: {
            /** @description The account that signed in (its sign-in name, an e-mail) */
            username: string;
            /** @description Its display name, when the directory gives one */
            name?: string;
            /** @description Its directory (tenant) id, learned at sign-in; used when the destination names no tenant */
            tenantId?: string;
        };
        SignInViewDoc: {
            /** @enum {string} */
            status: "pending" | "signed-in" | "failed" | "expired";
            startedAt: string;
            /** @description The code to enter, while pending */
            userCode?: string;
            verificationUri?: string;
            expiresAt?: string;
            user?: components["schemas"]["SignedInUserDoc"];
            signedInAt?: string;
            /** @description Why it failed */
            message?: string;
        };
        LastRunTotalsDoc: {
            members: number;
            added: number;
            removed: number;
            /** @description No key + not found + invalid */
            skipped: number;
            failed: number;
        };
        DestinationLastRunDoc: {
            id: string;
            /** @enum {string} */
            status: "queued" | "running" | "succeeded" | "partial" | "failed" | "canceled" | "skipped" | "held";
            /** @enum {string} */
            trigger: "api" | "ui" | "refresh" | "schedule";
            createdAt: string;
            finishedAt: string | null;
            /** @description Sums over its segments */
            totals: components["schemas"]["LastRunTotalsDoc"];
            /** @description Segments held at the removal limit, not yet approved */
            heldSegments: number;
        };
        DestinationDoc: {
            id: string;
            type: string;
            displayName: string;
            /** @description Without secrets */
            config: {
                [key: string]: unknown;
            };
            /**
             * @description Whether each secret field has a stored value (values are never returned)
             * @example {
             *       "auth.clientSecret": "set"
             *     }
             */
            secrets: {
                [key: string]: "set" | "not set";
            };
            contactIdField: string | null;
            segmentIds: string[];
            /** @enum {string} */
            syncMode: "mirror" | "additive";
            enabled: boolean;
            /** @description The removal guardrail in force: a mirror export holds a segment (before any write) that would remove more than `minimum` members AND more than `percent` % of its list or more than `count` members. Default: 10%, 10,000, 10. null turns that limit off. */
            removalLimit: components["schemas"]["RemovalLimitViewDoc"];
            /** @description Percent of skipped members above which a run notifies `skipped.threshold` */
            skippedAlertPercent: number | null;
            /** @description Interactive sign-in: user once signed in, the code while pending */
            signIn: components["schemas"]["SignInViewDoc"] | null;
            lastRun: components["schemas"]["DestinationLastRunDoc"] | null;
            createdAt: string;
            updatedAt: string;
        };
        UpdateDestinationDto: {
            /**
             * @description Destination type id (see GET /api/destination-types)
             * @example file
             */
            type?: string;
            /**
             * @description Unique name shown in lists and run records
             * @example Sales (EU)
             */
            displayName?: string;
            /**
             * @description Settings of the type, validated against its configSchema. Secret fields (the type's secretFields) are stored encrypted and never returned: omit one to keep the stored value, send null to clear it.
             * @example {
             *       "folder": "segments",
             *       "format": "csv",
             *       "fields": [
             *         "customerId",
             *         "email"
             *       ]
             *     }
             */
            config?: {
                [key: string]: unknown;
            };
            /**
             * @description Customer field holding each member's key in the target (the Dynamics 365 contact id). Required when the type has a memberKey; members without a value are skipped and counted.
             * @example contactId
             */
            contactIdField?: string | null;
            /**
             * @description Segments to export, in this order
             * @default []
             */
            segmentIds: string[];
            /**
             * @description How the target follows the segment; default: the type's defaultSyncMode
             * @enum {string}
             */
            syncMode?: "mirror" | "additive";
            /**
             * @description Exported by every refresh when true. Saving never runs an export.
             * @default true
             */
            enabled: boolean;
            /** @description Removal guardrail of mirror exports (default on: hold a segment that would remove more than 10 members and more than 10% of its list or more than 10,000). null: back to the default. */
            removalLimit?: components["schemas"]["RemovalLimitDto"] | null;
            /**
             * @description Percent (0-100) of members skipped (no key, not found, invalid) above which a run sends the `skipped.threshold` notification; null: never.
             * @example 10
             */
            skippedAlertPercent?: number | null;
        };
        ConnectionTestDoc: {
            ok: boolean;
            /** @description What was checked, or what is wrong and what to do */
            message: string;
            /** @description The kind of failure (AUTH, FORBIDDEN, CONFIG, …) */
            code?: string;
            details?: {
                [key: string]: unknown;
            };
        };
        ExistingTargetDoc: {
            /** @description Its id in the target (e.g. the marketing list id) */
            id: string;
            name: string;
            /** @description Members it holds now, when known */
            members?: number;
        };
        SignInStartDoc: {
            /** @enum {string} */
            status: "pending";
            userCode: string;
            verificationUri: string;
            message: string;
            expiresAt: string;
        };
        DryRunMemberDoc: {
            customerId: string | null;
            /** @description The member's key in the target (contactIdField) */
            contactId: string;
        };
        DryRunSegmentDoc: {
            segmentId: string;
            segmentName: string | null;
            /**
             * @description held: the removal limit would stop the segment before any write; skipped: nothing would be exported
             * @enum {string}
             */
            status: "ready" | "held" | "skipped";
            /** @description Why held or skipped, in words */
            reason: string | null;
            members: number;
            toAdd: number;
            toRemove: number;
            skippedNoContactId: number;
            /** @description Members whose key earlier exports found missing in the target; null before the first export (unknown without writing) */
            skippedNotInTarget: number | null;
            /** @description Members the target holds now, as far as Audience Sync knows */
            listSize: number;
            requestsEstimate: number | null;
            /** @description Up to 10, in key order */
            sampleToAdd: components["schemas"]["DryRunMemberDoc"][];
            /** @description Up to 10, in key order */
            sampleToRemove: components["schemas"]["DryRunMemberDoc"][];
        };
        DryRunDoc: {
            destinationId: string;
            /** @enum {string} */
            syncMode: "mirror" | "additive";
            computedAt: string;
            segments: components["schemas"]["DryRunSegmentDoc"][];
            totals: {
                [key: string]: number;
            };
        };
        StartExportRunDto: {
            /**
             * @description Re-check everything: forget members skipped as not found and compare the target with what Audience Sync believes it holds, correcting any drift.
             * @default false
             */
            fullSync: boolean;
            /**
             * @description Who asks: `ui` when a person clicked "Export now" in the admin UI.
             * @default api
             * @enum {string}
             */
            trigger: "api" | "ui";
            /**
             * @description Let this run remove past the destination's removal limit (an approval): segments held by an earlier run are exported with their removals.
             * @default false
             */
            approveRemovals: boolean;
        };
        ExportRunTotalsDoc: {
            members: number;
            added: number;
            removed: number;
            skippedNoKey: number;
            skippedNotFound: number;
            skippedInvalid: number;
            failed: number;
            requests: number;
            throttled: number;
        };
        ProgressDoc: {
            processed: number;
            total: number;
        };
        ExportTargetDoc: {
            /** @description Id of the list (or file) in the target */
            id: string;
            name: string;
            /** @description Where to open it */
            url?: string;
        };
        SegmentHoldDoc: {
            /** @example would remove 4,200 of 5,000 members (84%), over the limit of 10% */
            reason: string;
            /** @description Removals the export would have made */
            removals: number;
            /** @description Members the target held */
            listSize: number;
            /** @description When the hold was approved */
            approvedAt?: string;
            /** @description The run that exported the segment on approval */
            approvedRunId?: string;
        };
        SegmentResultDoc: {
            segmentId: string;
            segmentName: string | null;
            /** @enum {string} */
            status: "pending" | "running" | "succeeded" | "partial" | "held" | "failed" | "skipped" | "canceled";
            target: components["schemas"]["ExportTargetDoc"] | null;
            members: number;
            added: number;
            removed: number;
            /** @description Members without a value in contactIdField */
            skippedNoKey: number;
            /** @description Keys the target does not know (e.g. contacts deleted in Sales) */
            skippedNotFound: number;
            skippedInvalid: number;
            failed: number;
            requests: number;
            throttled: number;
            progress: components["schemas"]["ProgressDoc"] | null;
            errors: string[];
            notes: string[];
            startedAt: string | null;
            finishedAt: string | null;
            /** @description Present when the removal limit held the segment (status `held`) */
            hold?: components["schemas"]["SegmentHoldDoc"];
        };
        ExportRunDoc: {
            id: string;
            destinationId: string;
            /** @enum {string} */
            trigger: "api" | "ui" | "refresh" | "schedule";
            refreshRunId: string | null;
            /** @enum {string} */
            status: "queued" | "running" | "succeeded" | "partial" | "failed" | "canceled" | "skipped" | "held";
            fullSync: boolean;
            /** @description The run may remove past the removal limit (an approval) */
            approveRemovals: boolean;
            createdAt: string;
            startedAt: string | null;
            finishedAt: string | null;
            durationMs: number | null;
            cancelRequested: boolean;
            error: string | null;
            notes: string[];
            totals: components["schemas"]["ExportRunTotalsDoc"];
            progress: components["schemas"]["ProgressDoc"] | null;
            segments: components["schemas"]["SegmentResultDoc"][];
        };
        ExportRunsPageDoc: {
            items: components["schemas"]["ExportRunDoc"][];
            nextCursor: string | null;
        };
        MemberLogItemDoc: {
            segmentId: string;
            /** @description Null when no customer carries a removed contact id any more */
            customerId: string | null;
            /** @description The key in the target; null when the customer has none */
            contactId: string | null;
            /**
             * @description `pending` only while the segment is being exported
             * @enum {string}
             */
            outcome: "added" | "removed" | "skipped" | "failed" | "pending";
            /** @description Why, in words */
            reason: string;
        };
        MemberLogPageDoc: {
            items: components["schemas"]["MemberLogItemDoc"][];
            /** @description Give it as `after` for the next page */
            next: string | null;
        };
        ExplainedRunDoc: {
            runId: string;
            /** @description When the run exported the segment */
            at: string;
            /** @enum {string} */
            outcome: "added" | "removed" | "skipped" | "failed" | "pending" | "unchanged";
            reason: string | null;
        };
        SegmentExplanationDoc: {
            segmentId: string;
            segmentName: string | null;
            member: boolean;
            /** @description When the customer joined */
            memberSince: string | null;
            hasContactId: boolean;
            contactId: string | null;
            /** @description Whether the contact was found in the target at the last export (null: unknown) */
            foundInTarget: boolean | null;
            /** @description Whether the target holds it, as far as the exports know */
            onList: boolean;
            lastRun: components["schemas"]["ExplainedRunDoc"] | null;
            /** @description Why it is or is not on the list, in one sentence */
            explanation: string;
        };
        ExplanationDoc: {
            destinationId: string;
            destinationName: string;
            customerId: string;
            contactIdField: string;
            contactId: string | null;
            segments: components["schemas"]["SegmentExplanationDoc"][];
        };
        CreateNotificationChannelDto: {
            /**
             * @example webhook
             * @enum {string}
             */
            type: "webhook" | "email";
            /**
             * @description Shown in lists; default: the webhook's host or the first address
             * @example Ops webhook
             */
            name?: string;
            /**
             * @description Webhook only (required): an https:// URL (http:// only for hosts in NOTIFY_ALLOWED_HOSTS). Hosts resolving to loopback, private or link-local addresses are refused unless allow-listed.
             * @example https://hooks.example.com/audience-sync
             */
            url?: string;
            /** @description Webhook only (required at creation): the HMAC-SHA256 signing secret, 16-500 characters. Stored encrypted, never returned (`secretSet` says whether one is stored); left out of an update, the stored one is kept. */
            secret?: string;
            /**
             * @description E-mail only (required): the addresses to write to (one string or a list)
             * @example [
             *       "ops@example.com"
             *     ]
             */
            to?: string[];
            /**
             * @example [
             *       "run.failed",
             *       "run.partial"
             *     ]
             */
            events: ("run.failed" | "run.partial" | "run.held" | "run.recovered" | "skipped.threshold")[];
        };
        NotificationChannelDoc: {
            id: string;
            /** @enum {string} */
            type: "webhook" | "email";
            name: string;
            /** @description Webhooks: where events are posted */
            url?: string;
            /** @description Webhooks: whether a signing secret is stored (never its value) */
            secretSet?: boolean;
            /** @description E-mail: the addresses written to */
            to?: string[];
            events: ("run.failed" | "run.partial" | "run.held" | "run.recovered" | "skipped.threshold")[];
            createdAt: string;
            updatedAt: string;
        };
        UpdateNotificationChannelDto: {
            /**
             * @example webhook
             * @enum {string}
             */
            type?: "webhook" | "email";
            /**
             * @description Shown in lists; default: the webhook's host or the first address
             * @example Ops webhook
             */
            name?: string;
            /**
             * @description Webhook only (required): an https:// URL (http:// only for hosts in NOTIFY_ALLOWED_HOSTS). Hosts resolving to loopback, private or link-local addresses are refused unless allow-listed.
             * @example https://hooks.example.com/audience-sync
             */
            url?: string;
            /** @description Webhook only (required at creation): the HMAC-SHA256 signing secret, 16-500 characters. Stored encrypted, never returned (`secretSet` says whether one is stored); left out of an update, the stored one is kept. */
            secret?: string;
            /**
             * @description E-mail only (required): the addresses to write to (one string or a list)
             * @example [
             *       "ops@example.com"
             *     ]
             */
            to?: string[];
            /**
             * @example [
             *       "run.failed",
             *       "run.partial"
             *     ]
             */
            events?: ("run.failed" | "run.partial" | "run.held" | "run.recovered" | "skipped.threshold")[];
        };
        DeliveryDoc: {
            id: string;
            /** @description The event id (header X-Audience-Sync-Event-Id); one per event */
            eventId: string;
            /** @enum {string} */
            eventType: "run.failed" | "run.partial" | "run.held" | "run.recovered" | "skipped.threshold" | "test";
            /**
             * @description pending: waiting for its (next) attempt; failed: given up
             * @enum {string}
             */
            status: "pending" | "delivered" | "failed";
            attempts: number;
            lastError: string | null;
            /** @description HTTP status of the last attempt */
            responseCode: number | null;
            createdAt: string;
            lastAttemptAt: string | null;
            deliveredAt: string | null;
            /** @description When a pending delivery is tried next */
            nextAttemptAt: string | null;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    AppRegistrationController_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppRegistrationDoc"];
                };
            };
        };
    };
    AppRegistrationController_set: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AppRegistrationDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppRegistrationDoc"];
                };
            };
        };
    };
    AppRegistrationController_clear: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    MeController_me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MeDoc"];
                };
            };
        };
    };
    ApiTokensController_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiTokenDoc"][];
                };
            };
        };
    };
    ApiTokensController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateApiTokenDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedApiTokenDoc"];
                };
            };
        };
    };
    ApiTokensController_revoke: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    PeopleSignInController_start: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    PeopleSignInController_signOut: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    AuthConfigController_authConfig: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthConfigDoc"];
                };
            };
        };
    };
    AuditController_list: {
        parameters: {
            query?: {
                /** @description The actor's id or name (a token's name, 'admin') */
                actor?: string;
                /** @description The entity type: source, unification-rules, segment, destination, … */
                entity?: string;
                /** @description One entity, by its id */
                entityId?: string;
                limit?: number;
                /** @description `next` of the previous page: entries older than it */
                after?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditPageDoc"];
                };
            };
        };
    };
    HealthController_health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    InfoController_info: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    SourcesController_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SourceDto"][];
                };
            };
        };
    };
    SourcesController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateSourceDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SourceDto"];
                };
            };
            /** @description A source with this name exists */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    SourcesController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SourceDto"];
                };
            };
        };
    };
    SourcesController_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateSourceDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SourceDto"];
                };
            };
        };
    };
    SourcesController_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    SourcesController_records: {
        parameters: {
            query?: {
                /** @description Records per page */
                limit?: number;
                /** @description Cursor: the `next` of the previous page (a record key) */
                after?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecordPageDto"];
                };
            };
        };
    };
    SourcesController_ingestNow: {
        parameters: {
            query?: {
                /** @description true: an upload that leaves no records (a header alone, or every row rejected), or a full read that finds none, empties the source instead of being refused */
                allowEmpty?: "true" | "false";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataverseIngestSummaryDto"];
                };
            };
            /** @description Another ingest of this source is running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    SourcesController_upload: {
        parameters: {
            query?: {
                /** @description true: an upload that leaves no records (a header alone, or every row rejected), or a full read that finds none, empties the source instead of being refused */
                allowEmpty?: "true" | "false";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": {
                    /** Format: binary */
                    file: string;
                } | string;
                "text/csv": {
                    /** Format: binary */
                    file: string;
                } | string;
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UploadResultDto"];
                };
            };
            /** @description Another ingest of this source is running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    UnificationController_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Ordered match rules; two records belong to one customer when any rule matches them, transitively. An empty list makes every record its own customer. */
                        rules: {
                            /** @description Shown in run figures; defaults to "rule <n>". */
                            name: string;
                            /** @description All must hold (AND). */
                            conditions: {
                                field: string;
                                /** @description Applied in order. trim, lowercase, collapseWhitespace (runs of whitespace → one space), removeDiacritics (é→e, ß→ss, ø→o), digitsOnly (phones), alphanumeric (letters and digits only), email (trim + lower case), emailMailbox (email, without +tag; Gmail without dots). A value that normalizes to empty never matches. */
                                normalizers: ("trim" | "lowercase" | "collapseWhitespace" | "removeDiacritics" | "digitsOnly" | "alphanumeric" | "email" | "emailMailbox")[];
                                /** @description `exact`: equal after normalization. `{ "fuzzy": t }`: normalized Levenshtein similarity (1 − edits / length of the longer value) of at least t, compared only between records that share the rule's exact conditions (its blocking key). */
                                match: "exact" | {
                                    fuzzy: number;
                                };
                            }[];
                        }[];
                        /** @description Whether records of the same source may match each other (default true). When false they are never matched directly, but can still join one customer through records of other sources. */
                        dedupeWithinSource: boolean;
                        merge: {
                            /** @description How a value is chosen among the records of a customer. `mostRecent` / `leastRecent` use the record's last-modified value (the source's `lastModifiedColumn`; records without one come after all dated records); `{ "sourcePriority": [...] }` takes the first listed source that has a value (unlisted sources after, in name order; within a source the most recent record). Remaining ties: source name, then record key. */
                            default: ("mostRecent" | "leastRecent") | {
                                /** @description Source names or IDs, most trusted first. */
                                sourcePriority: string[];
                            };
                            /** @description Per-field policies overriding the default: { "<field>": <policy> }. */
                            fields: {
                                [key: string]: ("mostRecent" | "leastRecent") | {
                                    /** @description Source names or IDs, most trusted first. */
                                    sourcePriority: string[];
                                };
                            };
                            /** @description Fields taken together from one record (e.g. an address). */
                            groups: {
                                name: string;
                                fields: string[];
                                /** @description How a value is chosen among the records of a customer. `mostRecent` / `leastRecent` use the record's last-modified value (the source's `lastModifiedColumn`; records without one come after all dated records); `{ "sourcePriority": [...] }` takes the first listed source that has a value (unlisted sources after, in name order; within a source the most recent record). Remaining ties: source name, then record key. */
                                policy?: ("mostRecent" | "leastRecent") | {
                                    /** @description Source names or IDs, most trusted first. */
                                    sourcePriority: string[];
                                };
                            }[];
                        };
                        /** @description False until the first PUT (the defaults are shown) */
                        saved: boolean;
                    };
                };
            };
        };
    };
    UnificationController_put: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Ordered match rules; two records belong to one customer when any rule matches them, transitively. An empty list makes every record its own customer. */
                    rules: {
                        /** @description Shown in run figures; defaults to "rule <n>". */
                        name?: string;
                        /** @description All must hold (AND). */
                        conditions: {
                            field: string;
                            /** @description Applied in order. trim, lowercase, collapseWhitespace (runs of whitespace → one space), removeDiacritics (é→e, ß→ss, ø→o), digitsOnly (phones), alphanumeric (letters and digits only), email (trim + lower case), emailMailbox (email, without +tag; Gmail without dots). A value that normalizes to empty never matches. */
                            normalizers?: ("trim" | "lowercase" | "collapseWhitespace" | "removeDiacritics" | "digitsOnly" | "alphanumeric" | "email" | "emailMailbox")[];
                            /** @description `exact`: equal after normalization. `{ "fuzzy": t }`: normalized Levenshtein similarity (1 − edits / length of the longer value) of at least t, compared only between records that share the rule's exact conditions (its blocking key). */
                            match: "exact" | {
                                fuzzy: number;
                            };
                        }[];
                    }[];
                    /** @description Whether records of the same source may match each other (default true). When false they are never matched directly, but can still join one customer through records of other sources. */
                    dedupeWithinSource?: boolean;
                    merge?: {
                        /** @description How a value is chosen among the records of a customer. `mostRecent` / `leastRecent` use the record's last-modified value (the source's `lastModifiedColumn`; records without one come after all dated records); `{ "sourcePriority": [...] }` takes the first listed source that has a value (unlisted sources after, in name order; within a source the most recent record). Remaining ties: source name, then record key. */
                        default?: ("mostRecent" | "leastRecent") | {
                            /** @description Source names or IDs, most trusted first. */
                            sourcePriority: string[];
                        };
                        /** @description Per-field policies overriding the default: { "<field>": <policy> }. */
                        fields?: {
                            [key: string]: ("mostRecent" | "leastRecent") | {
                                /** @description Source names or IDs, most trusted first. */
                                sourcePriority: string[];
                            };
                        };
                        /** @description Fields taken together from one record (e.g. an address). */
                        groups?: {
                            name: string;
                            fields: string[];
                            /** @description How a value is chosen among the records of a customer. `mostRecent` / `leastRecent` use the record's last-modified value (the source's `lastModifiedColumn`; records without one come after all dated records); `{ "sourcePriority": [...] }` takes the first listed source that has a value (unlisted sources after, in name order; within a source the most recent record). Remaining ties: source name, then record key. */
                            policy?: ("mostRecent" | "leastRecent") | {
                                /** @description Source names or IDs, most trusted first. */
                                sourcePriority: string[];
                            };
                        }[];
                    };
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Ordered match rules; two records belong to one customer when any rule matches them, transitively. An empty list makes every record its own customer. */
                        rules: {
                            /** @description Shown in run figures; defaults to "rule <n>". */
                            name: string;
                            /** @description All must hold (AND). */
                            conditions: {
                                field: string;
                                /** @description Applied in order. trim, lowercase, collapseWhitespace (runs of whitespace → one space), removeDiacritics (é→e, ß→ss, ø→o), digitsOnly (phones), alphanumeric (letters and digits only), email (trim + lower case), emailMailbox (email, without +tag; Gmail without dots). A value that normalizes to empty never matches. */
                                normalizers: ("trim" | "lowercase" | "collapseWhitespace" | "removeDiacritics" | "digitsOnly" | "alphanumeric" | "email" | "emailMailbox")[];
                                /** @description `exact`: equal after normalization. `{ "fuzzy": t }`: normalized Levenshtein similarity (1 − edits / length of the longer value) of at least t, compared only between records that share the rule's exact conditions (its blocking key). */
                                match: "exact" | {
                                    fuzzy: number;
                                };
                            }[];
                        }[];
                        /** @description Whether records of the same source may match each other (default true). When false they are never matched directly, but can still join one customer through records of other sources. */
                        dedupeWithinSource: boolean;
                        merge: {
                            /** @description How a value is chosen among the records of a customer. `mostRecent` / `leastRecent` use the record's last-modified value (the source's `lastModifiedColumn`; records without one come after all dated records); `{ "sourcePriority": [...] }` takes the first listed source that has a value (unlisted sources after, in name order; within a source the most recent record). Remaining ties: source name, then record key. */
                            default: ("mostRecent" | "leastRecent") | {
                                /** @description Source names or IDs, most trusted first. */
                                sourcePriority: string[];
                            };
                            /** @description Per-field policies overriding the default: { "<field>": <policy> }. */
                            fields: {
                                [key: string]: ("mostRecent" | "leastRecent") | {
                                    /** @description Source names or IDs, most trusted first. */
                                    sourcePriority: string[];
                                };
                            };
                            /** @description Fields taken together from one record (e.g. an address). */
                            groups: {
                                name: string;
                                fields: string[];
                                /** @description How a value is chosen among the records of a customer. `mostRecent` / `leastRecent` use the record's last-modified value (the source's `lastModifiedColumn`; records without one come after all dated records); `{ "sourcePriority": [...] }` takes the first listed source that has a value (unlisted sources after, in name order; within a source the most recent record). Remaining ties: source name, then record key. */
                                policy?: ("mostRecent" | "leastRecent") | {
                                    /** @description Source names or IDs, most trusted first. */
                                    sourcePriority: string[];
                                };
                            }[];
                        };
                        /** @description False until the first PUT (the defaults are shown) */
                        saved: boolean;
                    };
                };
            };
        };
    };
    UnificationController_run: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The run figures */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    UnificationController_status: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    UnificationController_cancel: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    CustomersController_list: {
        parameters: {
            query?: {
                limit?: number;
                /** @description Cursor: the `next` of the previous page (a customer ID). */
                after?: string;
                /** @description E-mail address (compared in canonical form). */
                email?: string;
                /** @description Search text: name or e-mail substring, or a customer ID. */
                q?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CustomerPageDoc"];
                };
            };
        };
    };
    CustomersController_fields: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CustomerFieldDoc"][];
                };
            };
        };
    };
    CustomersController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CustomerDetailDoc"];
                };
            };
        };
    };
    SegmentsController_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SegmentDoc"][];
                };
            };
        };
    };
    SegmentsController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SegmentBodyDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SegmentDoc"];
                };
            };
        };
    };
    SegmentsController_preview: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PreviewDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PreviewDoc"];
                };
            };
        };
    };
    SegmentsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SegmentDoc"];
                };
            };
        };
    };
    SegmentsController_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SegmentBodyDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SegmentDoc"];
                };
            };
        };
    };
    SegmentsController_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    SegmentsController_members: {
        parameters: {
            query?: {
                limit?: number;
                /** @description nextCursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MembersPageDoc"];
                };
            };
        };
    };
    SegmentsController_evaluate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SegmentDoc"];
                };
            };
        };
    };
    RuleOperatorsController_operators: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RuleOperatorsDoc"];
                };
            };
        };
    };
    RefreshController_start: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RefreshRunDoc"];
                };
            };
            /** @description A refresh is running; the body has runningRunId */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    RefreshController_list: {
        parameters: {
            query?: {
                limit?: number;
                /** @description nextCursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RefreshRunsPageDoc"];
                };
            };
        };
    };
    RefreshController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RefreshRunDoc"];
                };
            };
        };
    };
    RefreshController_cancel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RefreshRunDoc"];
                };
            };
        };
    };
    ScheduleController_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScheduleViewDoc"];
                };
            };
        };
    };
    ScheduleController_update: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ScheduleDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScheduleViewDoc"];
                };
            };
        };
    };
    DestinationTypesController_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DestinationTypeDoc"][];
                };
            };
        };
    };
    DestinationsController_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DestinationDoc"][];
                };
            };
        };
    };
    DestinationsController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateDestinationDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DestinationDoc"];
                };
            };
            /** @description Another destination has this displayName */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    DestinationsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DestinationDoc"];
                };
            };
        };
    };
    DestinationsController_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateDestinationDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DestinationDoc"];
                };
            };
        };
    };
    DestinationsController_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    DestinationsController_test: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConnectionTestDoc"];
                };
            };
        };
    };
    DestinationsController_targets: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExistingTargetDoc"][];
                };
            };
        };
    };
    DestinationsController_signIn: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SignInStartDoc"];
                };
            };
        };
    };
    DestinationsController_dryRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DryRunDoc"];
                };
            };
        };
    };
    DestinationsController_listRuns: {
        parameters: {
            query?: {
                limit?: number;
                /** @description nextCursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExportRunsPageDoc"];
                };
            };
        };
    };
    DestinationsController_startRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StartExportRunDto"];
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExportRunDoc"];
                };
            };
            /** @description An export of this destination runs (the body has runningRunId), or it has no segments (nothing to export) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ExportRunsController_list: {
        parameters: {
            query?: {
                limit?: number;
                /** @description nextCursor of the previous page */
                cursor?: string;
                /** @description Only the export runs started by this refresh run */
                refreshRunId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExportRunsPageDoc"];
                };
            };
        };
    };
    ExportRunsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExportRunDoc"];
                };
            };
        };
    };
    ExportRunsController_cancel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExportRunDoc"];
                };
            };
        };
    };
    ExportRunsController_approve: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExportRunDoc"];
                };
            };
            /** @description Nothing is held, or an export of the destination runs */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ExportRunMembersController_members: {
        parameters: {
            query?: {
                /** @description Only this segment's members */
                segmentId?: string;
                outcome?: "added" | "removed" | "skipped" | "failed";
                /** @description Only this customer (search) */
                customerId?: string;
                /** @description Only this contact id (search; letter case ignored for GUIDs) */
                contactId?: string;
                limit?: number;
                /** @description `next` of the previous page */
                after?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MemberLogPageDoc"];
                    "text/csv": components["schemas"]["MemberLogPageDoc"];
                };
            };
        };
    };
    ExplainController_explain: {
        parameters: {
            query?: {
                /** @description The customer (or give contactId) */
                customerId?: string;
                /** @description The customer carrying this value in the destination's contactIdField */
                contactId?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExplanationDoc"];
                };
            };
        };
    };
    NotificationsController_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotificationChannelDoc"][];
                };
            };
        };
    };
    NotificationsController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateNotificationChannelDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotificationChannelDoc"];
                };
            };
        };
    };
    NotificationsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotificationChannelDoc"];
                };
            };
        };
    };
    NotificationsController_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateNotificationChannelDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotificationChannelDoc"];
                };
            };
        };
    };
    NotificationsController_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    NotificationsController_deliveries: {
        parameters: {
            query?: {
                limit?: number;
                /** @description nextCursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliveryDoc"][];
                };
            };
        };
    };
    NotificationsController_test: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliveryDoc"];
                };
            };
        };
    };
}
