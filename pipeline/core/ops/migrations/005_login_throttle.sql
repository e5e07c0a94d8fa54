-- Login throttling (pipeline/access/users.py) counts the failed logins of an account and of a client in a recent
-- window, from the audit log: indexes for those two questions.
create index if not exists audit_log_action_at on audit_log (action, at);
create index if not exists audit_log_who_action_at on audit_log (who, action, at);
