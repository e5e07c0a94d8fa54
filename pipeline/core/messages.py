"""What the ingest path tells an officer, in English and Simplified Chinese, each built once from a template.

:data:`MESSAGES` maps a message id to its (English, Chinese) templates with named fields. :class:`Msg` renders
both at once; it *is* the English text (a ``str``), so every caller that handles text keeps working, and carries
the Chinese as ``.zh``:

    >>> m = Msg("checking.empty_cell", column="地区代码", description="A landed region code")
    >>> str(m)
    'Fill in 地区代码 (A landed region code); it is required on every row.'
    >>> m.zh
    '请填写地区代码（每行必填）'

A :class:`pipeline.ingest.report.Failure` given a ``Msg`` as its ``fix`` keeps the English in ``fix`` and the Chinese in
``fix_zh``; an exception of :mod:`pipeline.core.errors` given one keeps the Chinese in ``message_zh``.

Field values are rendered in the message's language: a ``Msg`` as its own text in that language (so fragments
nest), a list or tuple joined with ``, `` in English and ``、`` in Chinese (:func:`joined` for other separators),
anything else as it is (numbers keep their format spec: ``{n:,}``). A field may be left out of one language's
template (an English library error, say) but never be missing: rendering raises ``KeyError``.

The Chinese is written as a statistics office writes it: short, imperative, no final full stop on a one-sentence
hint; units, codes, file names and cell values are left as they are. Ids starting with a fragment prefix
(``what.``, ``enc.``, ``sep.``, ``unit.``, ``dim.`` ...) are pieces of other messages.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from typing import Any

LANGS = ("en", "zh")

#: message id -> (English template, Chinese template)
MESSAGES: dict[str, tuple[str, str]] = {
    # -- fragments: what a file looks like, encodings, separators, units, lists of rows -----------------------------
    # (a Chinese fragment starting with a Latin letter starts with a space: "看起来是 PDF 文档", "看起来是二进制文件")
    "what.pdf": ("a PDF document", " PDF 文档"),
    "what.png": ("a PNG image", " PNG 图片"),
    "what.jpeg": ("a JPEG image", " JPEG 图片"),
    "what.gif": ("a GIF image", " GIF 图片"),
    "what.gzip": ("a gzip archive", " gzip 压缩包"),
    "what.rar": ("a RAR archive", " RAR 压缩包"),
    "what.7z": ("a 7-Zip archive", " 7-Zip 压缩包"),
    "what.elf": ("a program (ELF)", "程序文件（ELF）"),
    "what.exe": ("a Windows program", " Windows 程序"),
    "what.sqlite": ("an SQLite database", " SQLite 数据库"),
    "what.bmp": ("a bitmap image", "位图图片"),
    "what.media": ("a media file", "音视频文件"),
    "what.icon": ("an icon", "图标文件"),
    "what.mp3": ("an MP3 file", " MP3 音频"),
    "what.rtf": ("an RTF document", " RTF 文档"),
    "what.binary": ("a binary file", "二进制文件"),
    "enc.other": ("{name}", "{name} 编码"),
    "enc.utf8_bom": ("UTF-8 (it starts with a UTF-8 byte-order mark)", "UTF-8 编码（文件以 UTF-8 字节顺序标记开头）"),
    "enc.utf8_mostly": ("UTF-8 (the rest of the file is UTF-8; {bad} place(s) are not)",
                        "UTF-8 编码（文件其余部分是 UTF-8，有 {bad} 处不是）"),
    "enc.gbk_mostly": ("GBK/GB18030 (the rest of the file is Chinese text in GBK)",
                       "GBK/GB18030 编码（文件其余部分是 GBK 中文）"),
    "enc.gb18030": ("GB18030 (GBK)", "GB18030 编码（GBK）"),
    "enc.utf16": ("UTF-16 (Excel's 'Unicode text')", "UTF-16 编码（Excel 的“Unicode 文本”）"),
    "enc.cp1252": ("Windows-1252 (Western European)", "Windows-1252 编码（西欧文字）"),
    "sep.comma": ("comma", "逗号"),
    "sep.semicolon": ("semicolon ';'", "分号“;”"),
    "sep.tab": ("tab", "制表符"),
    "sep.bar": ("vertical bar '|'", "竖线“|”"),
    "unit.yuan": ("yuan", "元"),
    "unit.USD": ("USD", "美元"),
    "unit.EUR": ("EUR", "欧元"),
    "unit.persons": ("persons", "人"),
    "unit.tce": ("tce", "吨标准煤"),
    "unit.count": ("count", "个"),
    "unit.firms": ("firms", "家"),
    "dim.money": ("money", "金额"),
    "dim.persons": ("persons", "人数"),
    "dim.energy": ("energy", "能源"),
    "dim.count": ("count", "计数"),
    "size.bytes": ("{n:,.0f} bytes", "{n:,.0f} 字节"),
    "rows": ("{rows}{more}", "{rows}{more}"),
    "rows.more": (" … ({n} rows)", " …（共 {n} 行）"),
    "sheet.hidden": ("{name} (hidden)", "{name}（隐藏）"),
    # -- files that cannot be read (UploadUnreadable, UploadTooLarge) ------------------------------------------------
    "read.empty_bytes": ("{file}: the file is empty (0 bytes). Upload a file with a header row and data rows.",
                         "{file}：文件为空（0 字节），请上传含表头行和数据行的文件"),
    "read.empty": ("{file}: the file is empty. Upload a file with a header row and data rows.",
                   "{file}：文件为空，请上传含表头行和数据行的文件"),
    "read.all_cells_empty": ("{file}: every cell is empty. Upload a file with a header row and data rows.",
                             "{file}：所有单元格都是空的，请上传含表头行和数据行的文件"),
    "read.not_text": ("{file}: is not a text table; it looks like {what}. Upload the table itself: CSV (UTF-8) or "
                      "Excel (.xlsx).",
                      "{file}：不是表格文件，看起来是{what}：请上传表格本身，即 CSV（UTF-8）或 Excel（.xlsx）"),
    "read.utf16_bad": ("{file}: looks like UTF-16 ('Unicode text') but does not decode as UTF-16 ({reason} at byte "
                       "{byte:,}). Save it again as 'CSV UTF-8' and upload that.",
                       "{file}：文件看似 UTF-16（“Unicode 文本”），但第 {byte:,} 个字节处无法按 UTF-16 解码："
                       "请另存为“CSV UTF-8”后重新上传"),
    "read.unknown_encoding": ("{file}: the text encoding could not be recognised (not UTF-8, UTF-16, GBK or GB18030; "
                              "first bad bytes on line {line}: {bytes}). Open it in Excel or WPS and save it as "
                              "'CSV UTF-8', then upload again.",
                              "{file}：文件编码无法识别（不是 UTF-8、UTF-16、GBK 或 GB18030，第 {line} 行首个无法识别的"
                              "字节为 {bytes}）：请在 Excel 或 WPS 中另存为“CSV UTF-8”后重新上传"),
    "read.undecodable": ("{file}: line {line}, byte {byte} of the line: the bytes {bytes} are not valid {encoding}. "
                         "The file was damaged or mixes two encodings. Retype that text (or remove it), save the file "
                         "as 'CSV UTF-8' and upload again.",
                         "{file}：第 {line} 行第 {byte} 个字节起的 {bytes} 不是有效的 {encoding}，文件可能已损坏"
                         "或混用了两种编码：请重新输入（或删除）这段文字，另存为“CSV UTF-8”后重新上传"),
    "read.html": ("{file}: is a web page (HTML), not a table file; web systems often save such pages with an .xls "
                  "name. Open it in Excel or WPS and save it as .xlsx (or download it again), then upload that.",
                  "{file}：这是网页文件（HTML），不是表格文件，网上系统导出时常以 .xls 命名：请在 Excel 或 WPS 中"
                  "打开并另存为 .xlsx（或重新下载）后上传"),
    "read.xml2003": ("{file}: is an Excel 2003 XML spreadsheet. Open it in Excel or WPS and save it as .xlsx.",
                     "{file}：这是 Excel 2003 XML 表格，请在 Excel 或 WPS 中打开并另存为 .xlsx"),
    "read.unclosed_quote": ("{file}, row {row}, column {column}: a quote (\") opens a cell that is never closed, so "
                            "everything after it would be read as one cell. Close the quote, or remove it, then upload "
                            "again.",
                            "{file}：第 {row} 行第 {column} 列的引号没有闭合，其后的内容会被读成一个单元格：请补上或"
                            "删除该引号后重新上传"),
    "read.parquet_bad": ("{file}: not a readable Parquet file ({error}).",
                         "{file}：无法读取的 Parquet 文件（{error}），请重新导出后上传"),
    "read.parquet_is_workbook": ("{file}: is named .parquet but is an Excel workbook or a ZIP archive. Rename it to "
                                 ".xlsx, or upload the Parquet file itself.",
                                 "{file}：扩展名为 .parquet，实际是 Excel 工作簿或 ZIP 压缩包：请改名为 .xlsx，或上传 "
                                 "Parquet 文件本身"),
    "read.parquet_not": ("{file}: is named .parquet but is not a Parquet file. Upload it with its own suffix (.csv or "
                         ".xlsx).",
                         "{file}：扩展名为 .parquet，但不是 Parquet 文件：请按实际类型命名（.csv 或 .xlsx）后上传"),
    "read.not_workbook": ("{file}: is named {suffix} but is not a workbook; it looks like {what}. Open the data in "
                          "Excel or WPS and save it as .xlsx.",
                          "{file}：扩展名为 {suffix}，但不是工作簿，看起来是{what}：请在 Excel 或 WPS 中打开数据并"
                          "另存为 .xlsx"),
    "read.text_has_no_sheets": ("{file}: is named {suffix} but holds plain text (CSV), which has no sheets: leave out "
                                "--sheet.",
                                "{file}：扩展名为 {suffix}，实际是纯文本（CSV），没有工作表：请不要指定工作表"
                                "（--sheet）"),
    "read.csv_sheet": ("{file}: --sheet applies to Excel workbooks only; this is a CSV file.",
                       "{file}：这是 CSV 文件，只有 Excel 工作簿才能指定工作表（--sheet），请留空"),
    "read.unsupported": ("{file}: unsupported file type {suffix!r}. Upload CSV (.csv), Excel (.xlsx) or Parquet "
                         "(.parquet).",
                         "{file}：不支持“{suffix}”类型的文件，请上传 CSV（.csv）、Excel（.xlsx）或 Parquet"
                         "（.parquet）文件"),
    "read.cannot_read": ("{path}: cannot be read ({reason}).", "{path}：无法读取文件（{reason}）"),
    "read.too_large": ("{file} is {size}, over the upload limit of {limit}. Split it (e.g. one file per year) or ask "
                       "the administrator to raise the limit (--max-size, or {env}).",
                       "{file} 大小为 {size}，超过上传上限 {limit}：请拆分文件（如每年一个文件），或请管理员提高上限"
                       "（--max-size 或 {env}）"),
    # workbooks (sheets.py, workbooks.py)
    "book.damaged_zip": ("{file}: the workbook is damaged (not a readable ZIP/XLSX archive: {error}). Open it in "
                         "Excel or WPS; if it opens, save it again as .xlsx and upload that, else ask the sender for a "
                         "new copy.",
                         "{file}：工作簿已损坏（不是可读取的 ZIP/XLSX 文件）：请在 Excel 或 WPS 中打开，能打开的另存为 "
                         ".xlsx 后上传，打不开的请报送单位重新提供"),
    "book.too_many_parts": ("{file}: the archive has {n:,} parts, more than a workbook has (limit {limit:,}); it is "
                            "not a normal .xlsx file.",
                            "{file}：压缩包含 {n:,} 个部件，超过工作簿的正常数量（上限 {limit:,}），不是正常的 .xlsx "
                            "文件"),
    "book.damaged": ("{file}: the workbook is damaged ({error}). Open it in Excel or WPS and save it again as .xlsx.",
                     "{file}：工作簿已损坏：请在 Excel 或 WPS 中打开并重新另存为 .xlsx"),
    "book.damaged_or_compression": ("{file}: the workbook is damaged or uses an unsupported compression ({error}). "
                                    "Open it in Excel or WPS and save it again as .xlsx.",
                                    "{file}：工作簿已损坏或使用了不支持的压缩方式：请在 Excel 或 WPS 中打开并重新另存"
                                    "为 .xlsx"),
    "book.zip_bomb": ("{file}: the workbook unpacks to more than {limit} (at least {unpacked} from {packed}, "
                      "{ratio:,.0f}:1), more than the {limit} allowed. That is not a normal workbook (a 'zip bomb'?); "
                      "it was not read. If it is genuine, split it into smaller files.",
                      "{file}：工作簿解压后超过 {limit}（{packed} 解压出至少 {unpacked}，压缩比 {ratio:,.0f}:1），"
                      "超过允许的 {limit}，不是正常的工作簿（可能是“压缩炸弹”），未读取。如确为正常文件，请拆分成"
                      "较小的文件"),
    "book.unreadable": ("{file}: not a readable Excel workbook ({error}). Open it in Excel or WPS, save it as .xlsx, "
                        "and upload that.",
                        "{file}：无法读取的 Excel 工作簿：请在 Excel 或 WPS 中打开，另存为 .xlsx 后上传"),
    "book.no_sheets": ("{file}: the workbook has no sheets.", "{file}：工作簿中没有工作表"),
    "book.all_hidden": ("{file}: every sheet of the workbook is hidden ({sheets}). Unhide the sheet with the data, or "
                        "name it with --sheet.",
                        "{file}：工作簿的工作表都被隐藏了（{sheets}）：请取消隐藏数据所在的工作表，或在“Excel 工作表”"
                        "（--sheet）中指定"),
    "book.hidden_match": ("{file}: the only sheet whose header matches is hidden ({sheet!r}); the workbook's sheets "
                          "are: {sheets}. Unhide it, or pass --sheet {sheet!r} to read it anyway.",
                          "{file}：唯一表头相符的工作表“{sheet}”被隐藏（工作簿的工作表：{sheets}）：请取消隐藏，"
                          "或在“Excel 工作表”（--sheet）中填写“{sheet}”照常读取"),
    "book.several_sheets": ("{file}: several sheets look like this kind of data ({candidates}); the workbook's "
                            "sheets are: {sheets}. Say which one to read with --sheet (its name, or its number: 1 = "
                            "first); or upload each sheet as its own file.",
                            "{file}：有多个工作表像是本类数据（{candidates}；工作簿的工作表：{sheets}）：请在“Excel "
                            "工作表”（--sheet）中指定读取哪一个（名称或序号，1 为第一个），或把各工作表分别上传"),
    "book.no_such_sheet": ("{file}: there is no sheet {sheet!r}. The workbook's sheets are: {sheets}. Pass one of them "
                           "with --sheet (or its number, 1 = first).",
                           "{file}：没有名为“{sheet}”的工作表（工作簿的工作表：{sheets}）：请在“Excel 工作表”"
                           "（--sheet）中填写其中之一（或序号，1 为第一个）"),
    "book.sheet_unreadable": ("{file}, sheet {sheet!r}: could not be read ({error}).",
                              "{file}：工作表“{sheet}”无法读取，请在 Excel 或 WPS 中打开并另存为 .xlsx 后上传"),
    "book.sheet_empty": ("{file}, sheet {sheet!r}: the sheet is empty; it needs a header row and data rows.",
                         "{file}：工作表“{sheet}”为空，需要有表头行和数据行"),
    "book.too_wide": ("{file}, sheet {sheet!r}: its cells spread over {span}, {n:,} columns; clusterstats reads at "
                      "most {limit:,} columns (setting CLUSTERSTATS_MAX_COLUMNS). Delete what lies beyond the table "
                      "(in Excel, Ctrl+End goes to the last cell) or copy the table into a new workbook, and upload "
                      "it again.",
                      "{file}：工作表“{sheet}”的单元格分布在 {span}，共 {n:,} 列，超过上限 {limit:,} 列（设置项 "
                      "CLUSTERSTATS_MAX_COLUMNS）。请删除表格以外的内容（在 Excel 中按 Ctrl+End 可定位最后一个"
                      "单元格），或将表格复制到新工作簿后重新上传"),
    "book.too_long": ("{file}, sheet {sheet!r}: its cells spread over {span}, {n:,} rows; clusterstats reads at most "
                      "{limit:,} rows of a sheet (setting CLUSTERSTATS_MAX_ROWS). Delete what lies below the table "
                      "(Ctrl+End goes to the last cell), or upload the data as CSV.",
                      "{file}：工作表“{sheet}”的单元格分布在 {span}，共 {n:,} 行，超过上限 {limit:,} 行（设置项 "
                      "CLUSTERSTATS_MAX_ROWS）。请删除表格以下的内容（按 Ctrl+End 可定位最后一个单元格），或改用 "
                      "CSV 上传"),
    "book.too_many_cells": ("{file}, sheet {sheet!r}: its cells spread over {span}, {n:,} cells from the first to "
                            "the last; clusterstats reads sheets of at most {limit:,} cells (setting "
                            "CLUSTERSTATS_MAX_CELLS). Delete what lies beyond the table (Ctrl+End goes to the last "
                            "cell), or upload the data as CSV.",
                            "{file}：工作表“{sheet}”的单元格分布在 {span}，从第一个到最后一个共 {n:,} 个单元格，"
                            "超过上限 {limit:,} 个（设置项 CLUSTERSTATS_MAX_CELLS）。请删除表格以外的内容（按 "
                            "Ctrl+End 可定位最后一个单元格），或改用 CSV 上传"),
    "read.child_memory": ("{file}: reading this file needs more than {limit} of memory, the most an upload may "
                          "take (setting CLUSTERSTATS_READ_MEMORY_MB); it was not read. A workbook this hungry "
                          "usually holds formatting or cells far beyond its table: save the table alone as CSV "
                          "and upload that.",
                          "{file}：读取该文件需要超过 {limit} 内存，超出单次上传的上限（设置项 "
                          "CLUSTERSTATS_READ_MEMORY_MB），未读取。如此耗内存的工作簿通常在表格之外还有格式或"
                          "单元格：请将表格单独另存为 CSV 后上传"),
    "read.child_cpu": ("{file}: reading this file took more than {seconds} s of processor time, the most an upload "
                       "may take (setting CLUSTERSTATS_READ_CPU_SECONDS); it was not read. Save the table alone as "
                       "CSV and upload that.",
                       "{file}：读取该文件耗用处理器时间超过 {seconds} 秒，超出单次上传的上限（设置项 "
                       "CLUSTERSTATS_READ_CPU_SECONDS），未读取。请将表格单独另存为 CSV 后上传"),
    "read.child_time": ("{file}: reading this file did not finish within {seconds} s; it was stopped and not read. "
                        "Save the table alone as CSV and upload that.",
                        "{file}：读取该文件超过 {seconds} 秒仍未完成，已停止，未读取。请将表格单独另存为 CSV "
                        "后上传"),
    "read.child_output": ("{file}: its cells come to {size} as text, more than the {limit} an upload may hand on "
                          "(setting CLUSTERSTATS_READ_OUTPUT_MB); it was not read. Split it (e.g. one file per "
                          "year).",
                          "{file}：其单元格按文本计共 {size}，超过单次上传的上限 {limit}（设置项 "
                          "CLUSTERSTATS_READ_OUTPUT_MB），未读取。请拆分文件（如每年一个文件）"),
    "read.child_crashed": ("{file}: the reader stopped on this file (exit status {code}); it was not read. Open it "
                           "in Excel or WPS and save it again, or upload the table as CSV.",
                           "{file}：读取程序在该文件上中止（退出状态 {code}），未读取。请在 Excel 或 WPS 中打开并"
                           "重新保存，或将表格另存为 CSV 后上传"),
    "read.too_wide": ("{file}: a row has {n:,} columns; clusterstats reads at most {limit:,} columns (setting "
                      "CLUSTERSTATS_MAX_COLUMNS). An upload holds one table with a column per field: check the "
                      "separator, and delete the columns beyond the table.",
                      "{file}：有一行共 {n:,} 列，超过上限 {limit:,} 列（设置项 CLUSTERSTATS_MAX_COLUMNS）。每个"
                      "上传文件只含一张表、每个字段一列：请检查分隔符，并删除表格以外的列"),
    # -- notices and warnings of reading ----------------------------------------------------------------------------
    "note.encoding": ("Read as {encoding} text.", "已按 {encoding}读取"),
    "note.delimiter": ("Columns are separated by {separator}.", "各列以{separator}分隔"),
    "note.named_csv_is_workbook": ("The file is named {suffix} but is an Excel workbook; read as one.",
                                   "文件扩展名为 {suffix}，实际是 Excel 工作簿，已按工作簿读取"),
    "note.named_workbook_is_text": ("The file is named {suffix} but holds plain text; it was read as CSV.",
                                    "文件扩展名为 {suffix}，实际是纯文本，已按 CSV 读取"),
    "note.sheet_no_match": ("No sheet's header matches this kind; read the first visible sheet, {sheet!r}. The "
                            "workbook's sheets are: {sheets}; pass --sheet to choose another.",
                            "没有表头与本类数据相符的工作表，已读取第一个可见工作表“{sheet}”（工作簿的工作表："
                            "{sheets}）；如需读取其他工作表，请在“Excel 工作表”（--sheet）中指定"),
    "note.sheet_matches": ("Read sheet {sheet!r}, whose header matches this kind; the workbook's sheets are: "
                           "{sheets}. Pass --sheet to read another.",
                           "已读取表头相符的工作表“{sheet}”（工作簿的工作表：{sheets}）；如需读取其他工作表，请在"
                           "“Excel 工作表”（--sheet）中指定"),
    "note.hidden_sheet_used": ("Sheet {sheet!r} is hidden in the workbook; it was read because --sheet names it. "
                               "Check that it holds the current data.",
                               "工作表“{sheet}”在工作簿中是隐藏的，因已指定该工作表而读取：请确认其中是最新数据"),
    "note.merged_cells": ("Merged cells were read as their value on every row and column they span.",
                          "合并单元格的值已填入其跨越的每一行、每一列"),
    "note.needs_recalculation": ("The workbook was written by a program and asks to be recalculated on opening: its "
                                 "formula cells may hold no calculated values. Open it in Excel or WPS, save it, and "
                                 "upload that copy if any formula values look wrong.",
                                 "该工作簿由程序生成，要求打开时重新计算，公式单元格可能没有计算结果：如公式的值看起来"
                                 "不对，请在 Excel 或 WPS 中打开、保存后重新上传"),
    "note.file_name_cleaned": ("Kept only the file's own name, {name!r}.", "已去除路径，只保留文件名“{name}”"),
    # -- the header and the rows (ingest/layout.py, rows.py, records.py) -----------------------------------------------
    "header.missing": ("Row {row} holds data, not column headers: insert a header row above it naming the columns "
                       "(required: {required}).",
                       "第 {row} 行是数据而不是表头：请在其上方插入表头行（必填列：{required}）"),
    "header.title_rows": ("Row(s) {rows} above the header (row{plural} {header}) were skipped.",
                          "已跳过表头（第 {header} 行）上方的第 {rows} 行"),
    "header.two_rows": ("The header takes rows {first}-{last}; each column was read as the label shown.",
                        "表头占第 {first}-{last} 行，各列按合并后的名称读取"),
    "header.unlabelled_column": ("Column {letter} has values but no header: give it one of this kind's headers or "
                                 "delete it.",
                                 "第 {letter} 列有数据但没有表头：请填写本类数据的列名，或删除该列"),
    "header.empty_column": ("Column {letter} ('{label}') is not part of this kind and has no values; it was ignored.",
                            "第 {letter} 列（“{label}”）不属于本类数据，也没有数据，已忽略"),
    "header.unknown_column": ("Column {letter}: rename it to one of this kind's columns ({expected}) or delete it.",
                              "第 {letter} 列不属于本类数据：请改为以下列名之一（{expected}），或删除该列"),
    "header.repeated_column": ("Both '{first}' and '{label}' (column {letter}) are read as {field}: keep one.",
                               "“{first}”和“{label}”（第 {letter} 列）是同一字段（{field}）：请只保留一列"),
    "header.missing_column": ("Add a column headed '{title}' or '{field}' ({description})",
                              "请添加“{title}”列（或“{field}”）"),
    "header.unit_column_absent": ("--unit names column '{field}', which is not in the file; use one of: {columns}.",
                                  "单位选项（--unit）指定的列“{field}”不在文件中，请改用：{columns}"),
    "header.unit_not_measure": ("{field} is not a measure and takes no unit; remove '({unit})' from the header.",
                                "{title}不是指标，不带单位：请删去表头中的“({unit})”"),
    "header.unknown_unit": ("Use a unit of {dimension}: {units}.", "无法识别单位“{unit}”，请改用：{units}"),
    "header.wrong_unit": ("'{unit}' measures {dimension} but {field} is in {expected}: use one of {units}.",
                          "“{unit}”是{dimension}单位，{title}应使用{expected}单位：请改用 {units}"),
    "header.unit_not_in_header": ("Row {row} states the unit {unit}, but the header '{label}' has none, so values "
                                  "would be read as {canonical}: write '{label}({unit})' in the header, or pass "
                                  "--unit {field}={unit}.",
                                  "第 {row} 行注明单位为{unit}，但表头“{label}”没有单位，数值会按{canonical}读取："
                                  "请把表头改为“{label}({unit})”，或用单位选项 --unit {field}={unit}"),
    "header.name_column": ("Column '{label}' holds names; it was used {used} and is not landed.",
                           "“{label}”列是名称，已用于{used}，不入库"),
    "header.name_column.check": ("to check the codes", "核对代码"),
    "header.name_column.lookup": ("to look up the codes (there is no code column)", "查找代码（文件没有代码列）"),
    "header.columns_right": ("Column {letter} and right of it have values but no header: give them headers or delete "
                             "them.",
                             "第 {letter} 列及其右侧有数据但没有表头：请填写表头或删除这些列"),
    "rows.blank": ("{n} empty row(s) were skipped: {rows}.", "已跳过 {n} 个空行：第 {rows} 行"),
    "rows.total": ("A total row was not landed: totals are computed from the records.",
                   "合计行未入库：合计由系统根据明细数据计算"),
    "rows.footnote": ("A footnote was not landed; nothing in it changes how the table is read.",
                      "注释行未入库，不影响表格的读取"),
    "rows.decimal_comma": ("Columns are separated by ';' and numbers use ',' as the decimal mark, as European Excel "
                           "writes them: 1.234,5 is read as 1234.5.",
                           "各列以“;”分隔，数字以“,”作小数点（欧洲版 Excel 的写法）：1.234,5 读作 1234.5"),
    "rows.ragged": ("Row {row} has cells beyond the {width} columns of the header: {hint}.",
                    "第 {row} 行的单元格超出了表头的 {width} 列：{hint}"),
    "rows.ragged.csv": ("a {separator} inside a value (e.g. 1,234 or a name) splits it in two: put such values in "
                        "double quotes, or remove the extra cells",
                        "数值或名称中的{separator}（如 1,234）会把一格拆成两格：请给这类值加英文双引号，或删除多余的"
                        "单元格"),
    "rows.ragged.sheet": ("delete the cells right of the table, or give the column a header",
                          "请删除表格右侧的单元格，或给该列加上表头"),
    "rows.ragged.tab": ("tab", "制表符"),
    "rows.ragged.semicolon": ("';'", "“;”"),
    "rows.ragged.comma": ("','", "逗号"),
    # -- cells (ingest/cells.py) ---------------------------------------------------------------------------------------
    "cells.note": ("{n} cell(s), rows {rows}: {what}", "共 {n} 个单元格（第 {rows} 行）：{what}"),
    "cells.missing_marker": ("kept empty and flagged not reported, never read as zero.",
                             "保持为空并标注为“未填报”，不按 0 计"),
    "cells.suppressed_marker": ("kept empty and flagged suppressed or confidential, never read as zero.",
                                "保持为空并标注为“保密”，不按 0 计"),
    "cells.number_format": ("read as numbers (separators, full-width digits, signs or % removed; 12% = 0.12).",
                            "已按数字读取（去掉分隔符、全角数字、符号或 %；12% 即 0.12）"),
    "cells.year_format": ("read as the year (from '2019年', '2019.0' or a date cell; a year typed into a "
                          "date-formatted cell shows as 1905-07-11 and is read as 2019).",
                          "已读作年份（“2019年”“2019.0”或日期单元格；在日期格式单元格中输入的 2019 显示为 1905-07-11，"
                          "读作 2019）"),
    "cells.code_repaired": ("read as the code meant (a number's '.0', or the =\"…\" or ' that keeps leading zeros, "
                            "removed).",
                            "已按原代码读取（去掉了数字末尾的“.0”，或为保留前导零加的 =\"…\" 或 '）"),
    "cells.control_character": ("The cell holds control characters (e.g. a NUL byte, shown as \\x00) that are not "
                                "text: retype the cell, or remove the characters.",
                                "单元格含有控制字符（如 NUL 字节，显示为 \\x00），不是正常文字：请重新输入该单元格，"
                                "或删除这些字符"),
    "cells.formula_error": ("The cell's formula gives the error {value}: correct the formula, or type the value "
                            "(leave it empty if it was not reported).",
                            "单元格公式的结果是错误值 {value}：请修正公式，或直接填写数值（未填报的留空）"),
    "cells.marked_required": ("'{value}' marks a missing value, but {column} is required on every row: fill it in "
                              "({description}).",
                              "“{value}”表示缺失，但“{column}”每行必填：请填写"),
    "cells.unit_hint": ("; put a unit in the header, e.g. '{title}({unit})', not in the cell.",
                        "；单位写在表头中，例如“{title}({unit})”，不要写在单元格里"),
    "cells.plain_hint": (", without text or units in the cell.", "，单元格中不要带文字或单位"),
    "cells.percent_not_allowed": ("{column} is an amount, not a share: write the amount itself{hint}",
                                  "“{column}”是数量而不是比重：请填写数量本身{hint}"),
    "cells.share_not_a_number": ("Write a share between 0 and 1 (e.g. 0.5) or a percentage (50%).",
                                 "请填写 0 到 1 之间的比重（如 0.5）或百分数（如 50%）"),
    "cells.not_a_number": ("Write a plain number (e.g. 1234.5){hint}", "请填写数字（如 1234.5）{hint}"),
    "cells.out_of_bounds": ("{column} holds at most {limit:.0e} {unit}, far above any real figure; this is "
                            "{value:.3g} {unit}. Check the number of digits and the unit of the column (e.g. 万元 "
                            "declared but yuan written).",
                            "{column}最大为 {limit:.0e} {unit}（远高于任何实际数值），该值为 {value:.3g} {unit}。请检查"
                            "数字位数和该列的单位（如表头为万元而填的是元）"),
    "cells.infinite": ("{column} holds at most {limit:.0e} {unit}, far above any real figure; this is more than a "
                       "computer can store (infinite). Check the number of digits and the unit of the column (e.g. "
                       "万元 declared but yuan written).",
                       "{column}最大为 {limit:.0e} {unit}（远高于任何实际数值），该值超出计算机可存储的范围（无穷大）。"
                       "请检查数字位数和该列的单位（如表头为万元而填的是元）"),
    "cells.date_serial": ("{value} is how Excel stores the date {date}: type the year itself (e.g. {year}) and format "
                          "the cell as a number, not a date.",
                          "{value} 是 Excel 内部保存的日期 {date}：请直接填写年份（如 {year}），并把单元格格式设为"
                          "数值而不是日期"),
    "cells.not_a_year": ("Write the year as four digits, e.g. 2022.", "请填写四位数年份，例如 2022"),
    "cells.scientific_code": ("Excel shortened this code into scientific notation and may have lost digits: format the "
                              "column as Text, type the codes again, and save.",
                              "Excel 把代码显示成了科学计数法，可能丢失了位数：请把该列设为文本格式，重新输入代码后"
                              "保存"),
    "cells.formula_text": ("Starts like a spreadsheet formula: stored as text, never calculated; exports prefix it "
                           "with ' so that spreadsheets do not run it.",
                           "以公式符号开头：按文本保存，不会计算；导出时前面加 '，以免表格软件执行"),
    "cells.markup_text": ("Contains HTML markup: stored as text and always shown escaped, never as HTML. Remove it "
                          "unless it belongs to the name.",
                          "含有 HTML 标记：按文本保存，显示时转义，不会当作网页代码执行。如不属于名称，请删除"),
    "cells.all_measures_missing": ("Rows {rows} mark every measure missing or suppressed: their flags are kept, the "
                                   "rows are not landed.",
                                   "第 {rows} 行的指标全部标记为缺失或保密：保留标注，这些行不入库"),
    # -- codes read through the dictionaries (ingest/codes.py) ---------------------------------------------------------
    "codes.ambiguous_name": ("'{value}' is the name of {n} {dictionary}: {listing}. Write the code instead.",
                             "“{value}”是 {n} 个{dictionary}的名称：{listing}。请改填代码"),
    "codes.replaced": ("{how}, each the only match: {examples}{more}.", "{how}，均为唯一匹配：{examples}{more}"),
    "codes.zeros_restored": ("leading zeros restored", "已补回代码的前导零"),
    "codes.names_read": ("names read as codes of the landed {dictionary}",
                         "已按已入库的{dictionary}字典把名称读作代码"),
    "codes.example": ("{value} → {code} (rows {rows})", "{value} → {code}（第 {rows} 行）"),
    "codes.more": (" and {n} more", "，另有 {n} 项"),
    "codes.name_mismatch": ("The code {code} is landed as '{landed}', not '{name}': check which of the two is right.",
                            "代码 {code} 已入库的名称是“{landed}”，不是“{name}”：请核对哪个正确"),
    # -- schema checks (ingest/checking.py) ----------------------------------------------------------------------------
    "checking.empty_cell": ("Fill in {column} ({description}); it is required on every row.",
                            "请填写{column}（每行必填）"),
    "checking.code_formula": ("'{value}' looks like a spreadsheet formula, not a code (it is not calculated): type "
                              "the code itself, e.g. {example}.",
                              "“{value}”像是表格公式而不是代码（不会计算）：请直接填写代码，例如 {example}"),
    "checking.code_too_long": ("A code has at most 32 characters; this one has {n:,}. Put the code itself here, e.g. "
                               "{example}.",
                               "代码最多 32 个字符，此处有 {n:,} 个：请只填写代码本身，例如 {example}"),
    "checking.code_format": ("Codes are letters and digits without spaces or symbols, e.g. {example}.",
                             "代码只能包含字母和数字，例如 {example}"),
    "checking.no_dictionary": ("No {dictionary} have been landed yet: upload the {dictionary} dictionary first "
                               "(clusterstats ingest FILE --kind {dictionary}), then this file.",
                               "尚未上传{title}字典：请先上传{title}字典（{dictionary}），再上传本文件"),
    "checking.unknown_code": ("Use a landed {singular} code or add {value!r} to the {dictionary} dictionary first; "
                              "{listing}",
                              "{title}字典中没有代码“{value}”：请改用已入库的{title}代码，或先把它加入{title}字典；"
                              "{listing}"),
    "checking.unknown_groups": ("Each ';'-separated code must be a region of level 'zone' in this file or already "
                                "landed: {listing}",
                                "以“;”分隔的每个代码都必须是本文件中或已入库的区域板块（层级 zone）：{listing}"),
    "checking.listing_none": ("none are landed yet.", "尚无已入库的代码"),
    "checking.listing": ("{hint}known ({n}): {codes}{more}.", "{hint}已入库的代码（{n} 个）：{codes}{more}"),
    "checking.listing_hint": ("did you mean {code}? ", "是否应为 {code}？"),
    "checking.listing_more": (" … and {n} more", " …等，另有 {n} 个"),
    "checking.future_year": ("Records are for years that have ended (up to {year}); plan targets belong in a targets "
                             "upload.",
                             "年份不能晚于 {year} 年；规划目标请另行上报"),
    "checking.year_out_of_range": ("Use a year from {min} to {max}.", "年份须在 {min} 至 {max} 之间"),
    "checking.negative_value": ("Measures cannot be negative: correct the sign, or leave the cell empty if the value "
                                "was not reported.",
                                "指标不能为负数：请更正符号；未填报的请留空"),
    "checking.not_in_list": ("Use one of: {allowed}.", "请填写以下之一：{allowed}"),
    "checking.too_long": ("Shorten the text to at most 2,000 characters{size}.",
                          "文字最多 2,000 个字符{size}，请删减"),
    "checking.too_long.size": (" (it has {n:,})", "（现有 {n:,} 个）"),
    "checking.not_a_share": ("{column} is a share of the industry, more than 0 and at most 1 (100%): {value} is "
                             "impossible. Write e.g. 0.5 or 50%; if {value} is a percentage, write it with the sign: "
                             "{value}%.",
                             "“{column}”是行业所占比重，须大于 0、不超过 1（100%），{value} 不可能：请填写如 0.5 "
                             "或 50%；如 {value} 是百分数，请带上百分号：{value}%"),
    "checking.out_of_range": ("{column}: {description}", "“{column}”的数值超出允许范围"),
    "checking.check_failed": ("{column} failed the check {check}: {description}", "“{column}”未通过校验 {check}"),
    "checking.duplicate_key": ("The key ({value}) is on {where}: keep one row per key (merge or delete the others).",
                               "同一主键（{value}）出现在{where}：每个主键只保留一行（合并或删除其余行）"),
    "checking.duplicate_rows": ("rows {rows}", "第 {rows} 行"),
    "checking.duplicate_several": ("several rows", "多行"),
    "checking.no_measure": ("Fill in at least one of: {measures}; or delete the row.",
                            "请至少填写以下一项：{measures}；或删除该行"),
    "checking.invalid_period": ("Make valid_from the first year and valid_to the last year the mapping applies.",
                                "起始年份（valid_from）应为对应关系适用的第一年，截止年份（valid_to）为最后一年"),
    "plaus.keyed_by_cluster": ("{n} rows map a named cluster (cluster_code) to industries: that layout is read for "
                               "this release only. Upload the cluster categories (kind cluster-categories), give each "
                               "cluster its category_code, and key this map by category_code; until then each row "
                               "counts for the cluster's category, or for the cluster as a category of its own.",
                               "有 {n} 行按集群代码（cluster_code）对应行业：这种旧格式仅在本版本内继续读取。"
                               "请上传集群类别（cluster-categories），为每个集群填写集群类别代码，"
                               "并按集群类别代码编制本表；在此之前，每行计入该集群所属类别，未填类别的集群自成一类"),
    "header.mixed_currency": ("The money columns are in more than one currency ({columns}); a column without a unit "
                              "is in yuan. Declare one currency for every money column of the file (convert at the "
                              "bureau's stated rate before uploading): indicators divide one by another.",
                              "金额列使用了不止一种货币（{columns}），未注明单位的列按元计。请为本文件所有金额列注明同一种货币"
                              "（按本单位规定的汇率先行换算后再上报）：评价指标会用一个金额除以另一个金额"),
    "scope.outside": ("Region {code} ({name}) is outside the regions your account may submit ({regions}, each "
                      "with the regions under it): remove the row, or send it to the bureau of that region. Nothing "
                      "of the file was landed.",
                      "地区 {code}（{name}）不在本账户可报送的地区（{regions} 及其下辖地区）之内："
                      "请删除该行，或交由该地区统计部门报送。本文件未入库任何数据"),
    "scope.more": ("{n} more rows are outside your regions.", "另有 {n} 行不在本账户的地区之内"),
    "scope.dictionary": ("The {kind} dictionary is the province's: an account limited to regions ({regions}) may "
                         "not upload it. Ask the provincial bureau (an uploader or admin).",
                         "{kind} 字典由省级统计部门维护：限定地区（{regions}）的账户不能上报，"
                         "请联系省级上报人员或管理员"),
    "checking.category_or_cluster": ("Give each row a category code (category_code, 集群类别代码), or, in the old "
                                     "layout, a cluster code, but not both: {value}.",
                                     "每行填写集群类别代码（category_code），或按旧格式填写集群代码，二者只填其一：{value}"),
    "checking.unknown_members": ("Each ';'-separated code must be a region in this file's regions or already landed: "
                                 "{listing}",
                                 "以“;”分隔的每个代码都必须是已入库的地区代码：{listing}"),
    "checking.row_check_failed": ("The row fails the check {check}.", "该行未通过校验 {check}"),
    "ingest.no_rows": ("The file has a header (row {row}) but no data rows (blank, total and footnote rows are not "
                       "data): add the records below the header.",
                       "文件有表头（第 {row} 行）但没有数据行（空行、合计行和注释行不算数据）：请在表头下方填写数据"),
    "ingest.rows_rejected": ("{good} valid row(s) land; {bad} row(s) with errors are set aside with their reasons "
                             "(accept_valid_rows).",
                             "{good} 行有效数据入库；{bad} 行有错误，已连同原因单独列出（只入库有效行）"),
    # -- plausibility against landed data (ingest/plausibility.py) -----------------------------------------------------
    "plaus.replaces_landed": ("{n} row(s) (rows {rows}{etc}) have keys already landed in vintage(s) {vintages}; this "
                              "upload becomes a new vintage and replaces their values in the warehouse ({changed} of "
                              "them change a value). The old vintages are kept. If that is not what you meant, do not "
                              "upload this file.",
                              "{n} 行（第 {rows}{etc} 行）的主键已在第 {vintages} 版入库：本次上报将作为新版本替换其"
                              "数值（其中 {changed} 行数值有变化），旧版本仍保留。如非本意，请不要上传此文件"),
    "plaus.year_on_year_jump": ("{value} {unit} is {times} the {year} value ({before} {unit}, {where}); more than the "
                                "factor {factor:g} allowed between years. Check the unit (万元 or 元?) and the figure; "
                                "if it is right, ignore this warning.",
                                "{value} {unit}是 {year} 年数值（{before} {unit}，{where}）的{times}，超过年度间允许的 "
                                "{factor:g} 倍：请检查单位（万元还是元？）和数值，确无错误的可忽略此警告"),
    "plaus.times": ("{ratio:,.1f} times", " {ratio:,.1f} 倍"),
    "plaus.fraction": ("1/{ratio:,.1f} of", " 1/{ratio:,.1f}"),
    "plaus.from_row": ("row {row}", "第 {row} 行"),
    "plaus.from_vintage": ("landed vintage {vintage}", "已入库第 {vintage} 版"),
    "plaus.part_over_whole": ("{part} ({value} {unit}) is larger than {whole} ({total} {unit}) in the same row, yet "
                              "it is part of it: check the unit of each column (万元 or 元?) and that the figures "
                              "are in the right columns.",
                              "同一行中{part}（{value} {unit}）大于{whole}（{total} {unit}），而前者是后者的一部分："
                              "请检查两列的单位（万元还是元？）以及数据是否填错列"),
    "plaus.exceeds_industries": ("{value} {unit} is more than the {total} {unit}{what} of all the cluster's "
                                 "industries ({industries}) {where} in {year} (landed regional-industry data), yet a "
                                 "cluster is part of its industries: check the unit (万元 or 元?), the figure, or the "
                                 "cluster's industry list and regions.",
                                 "{value} {unit}超过了该集群所属全部行业（{industries}）{year} 年的合计 {total} "
                                 "{unit}{what}（{where}，已入库的地区行业数据），而集群只是其所属行业的一部分：请检查单位"
                                 "（万元还是元？）、数值或集群的行业构成和所在地区"),
    "plaus.in_region": ("in {region}", "地区 {region}"),
    "plaus.in_own_regions": ("in its own regions ({regions}: lead and member regions)",
                             "集群所在地区 {regions}（牵头和成员地区）合计"),
    "plaus.of_establishments": (" (establishments: a firm has at least one)", "（法人单位数：每个企业至少一个）"),
    # -- landing (ingest/landing.py, upload.py) ------------------------------------------------------------------------
    "land.disk_full_write": ("The disk holding {folder} is full: {what} could not be written, and nothing was changed "
                             "(the partial file was removed). Free some space, then try again.",
                             "{folder} 所在磁盘已满，{what}未能写入，未作任何更改（已删除未写完的文件）：请清理磁盘空间"
                             "后重试"),
    "land.landed_file": ("the landed file {name}", "入库文件 {name} "),
    "land.methodology_file": ("the methodology file {name}", "评价方法文件 {name} "),
    "land.rejected_file": ("the file of rejected rows {name}", "问题行文件 {name} "),
    "land.disk_full_record": ("The disk holding {folder} is full: the upload could not be recorded, and nothing was "
                              "landed. Free some space, then upload again.",
                              "{folder} 所在磁盘已满，上报未能登记，未入库任何数据：请清理磁盘空间后重新上传"),
    "land.disk_full_ingest": ("The disk holding {folder} is full ({error}): nothing was landed and the stores are as "
                              "they were. Free some space, then upload again.",
                              "{folder} 所在磁盘已满，未入库任何数据，原有数据不变：请清理磁盘空间后重新上传"),
    # -- the report as a whole (ingest/report.py, core/errors.py) ------------------------------------------------------
    "report.ok": ("{file}: {rows} rows of {kind}, all valid.{extra}", "{file}：{kind} {rows} 行，全部通过校验{extra}"),
    "report.invalid": ("{file}: {n} problem(s) in {bad} row(s) of {rows} ({per_rule}); nothing was landed. Fix them "
                       "and upload the file again.{extra}",
                       "{file}：{rows} 行中有 {bad} 行存在 {n} 个问题（{per_rule}），未入库任何数据：请修正后重新上传"
                       "{extra}"),
    "report.per_rule": ("{n} {rule}", "{rule} {n} 个"),
    "report.extra": (" {warnings} warning(s) and {notices} notice(s): read them before relying on the data.",
                     "；另有 {warnings} 条警告、{notices} 条提示，使用数据前请先阅读"),
    "report.counts_per_rule": ("Counts per rule:", "各规则问题数："),
    "report.warnings_heading": ("Warnings and notices (they do not stop the upload):", "警告与提示（不影响入库）："),
    "report.warnings_only": ("Warnings and notices:", "警告与提示："),
    "report.more": ("... and {n} more (use --json for all of them)", "……另有 {n} 条（用 --json 查看全部）"),
    "report.table_head": ("row|column|value|rule|fix", "行号|列|数值|规则|修改方法"),
    "error.unreadable": ("The file could not be read: check its format (CSV, XLSX or Parquet) and encoding.",
                         "文件无法读取：请检查文件格式（CSV、XLSX 或 Parquet）和编码"),
    "error.invalid": ("The file has records that fail validation; nothing was landed. Fix the listed cells and upload "
                      "again.",
                      "文件中有未通过校验的记录，未入库任何数据：请修正所列单元格后重新上传"),
    "error.too_large": ("The file is larger than the upload limit; split it (e.g. by year) or raise the limit.",
                        "文件超过上传大小上限：请拆分文件（如按年份），或提高上限"),
    "error.storage_full": ("The disk is full: nothing was written and the previous state is kept. Free some space and "
                           "try again.",
                           "磁盘已满，未写入任何内容，原有数据不变：请清理磁盘空间后重试"),
}


class Msg(str):
    """A message of :data:`MESSAGES` with its fields: the English text (as the ``str`` itself) and ``.zh``."""

    id: str
    params: dict[str, Any]
    zh: str

    def __new__(cls, msg_id: str, /, **params: Any) -> Msg:
        en, zh = MESSAGES[msg_id]
        return cls._made(msg_id, params, render(en, params, "en"), render(zh, params, "zh"))

    @classmethod
    def _made(cls, msg_id: str, params: dict[str, Any], en: str, zh: str) -> Msg:
        self = str.__new__(cls, en)
        self.id, self.params, self.zh = msg_id, params, zh
        return self

    @property
    def en(self) -> str:
        return str.__str__(self)

    def text(self, lang: str) -> str:
        """The message in ``lang`` ("zh" or "en")."""
        return self.zh if lang == "zh" else self.en

    def __str__(self) -> str:
        return self.en

    def __reduce__(self) -> tuple[Any, ...]:
        return (_restore, (self.id, self.params, self.en, self.zh))


def _restore(msg_id: str, params: dict[str, Any], en: str, zh: str) -> Msg:
    return Msg._made(msg_id, params, en, zh)


def pair(en: str, zh: str) -> Msg:
    """A fragment known in both languages outside this catalogue (a kind's title from :mod:`schemas`)."""
    return Msg._made("", {}, en, zh)


def joined(items: Iterable[Any], sep: str = ", ", sep_zh: str = "、") -> Msg:
    """Items (texts or messages) joined, each in the message's language."""
    items = list(items)
    return Msg._made("", {}, sep.join(text(i, "en") for i in items), sep_zh.join(text(i, "zh") for i in items))


def text(value: Any, lang: str) -> str:
    """``value`` in ``lang``: a message's text in that language, a list joined, anything else as ``str``."""
    if isinstance(value, Msg):
        return value.text(lang)
    if isinstance(value, (list, tuple)):
        return (", " if lang == "en" else "、").join(text(v, lang) for v in value)
    return str(value)


def render(template: str, params: dict[str, Any], lang: str) -> str:
    """``template`` with ``params`` filled in for ``lang`` (numbers keep their format spec)."""
    fields = {k: v if isinstance(v, (int, float)) and not isinstance(v, bool) else text(v, lang)
              for k, v in params.items()}
    return template.format(**fields)


def placeholders(template: str) -> set[str]:
    """The field names of a template."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name}
