-- A row whose every measure is marked missing or suppressed is not landed (it holds no figure), so its flags could
-- not be located in the landed file: a confidential mark ("(D)", "保密") on every measure of a cell reported
-- before was lost, and the older figure published. Such a row's flags keep its keys here (JSON: the kind's key
-- columns as read, e.g. {"region_code": "210100", "industry_code": "13", "year": 2022}); null for the others.
alter table upload_cell_flags add column keys text;
