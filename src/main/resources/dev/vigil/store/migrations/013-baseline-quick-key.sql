-- Each baseline row's stat values packed into one value (fim.QuickKey), which a quick check compares instead of
-- reading the row's fifteen columns. Rows written before are left without one: a quick check reads them whole,
-- as before, until the next baseline or accept writes them again.
ALTER TABLE baseline ADD COLUMN quick_key BLOB;
