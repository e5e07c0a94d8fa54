-- The uploads (manifest rows) the live build read.
-- grain: upload_id
select seq, upload_id, kind, vintage, file_name, who, landed_at, rows, units_json
from stg_uploads
order by seq
