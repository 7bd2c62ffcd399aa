"""Messages in English and Chinese (术语见 docs/glossary.md).

``t(key, **values)`` renders a message in the current language. The language comes from
``--lang``, else the scenario's ``lang:``, else ``STAFFPLAN_LANG`` or the locale
(``LC_ALL``, ``LC_MESSAGES``, ``LANG``: ``zh...`` gives Chinese); English otherwise. Every key
has both languages with the same placeholders (a test checks).
"""

from __future__ import annotations

import os
import string

LANGS = ("en", "zh")
_current = ["en"]

MESSAGES: dict[str, dict[str, str]] = {
    # --- where a problem is
    "p_row": {"en": ", row {row}", "zh": "，第 {row} 行"},
    "p_column": {"en": ", column {column}", "zh": "，列 {column}"},
    "p_key": {"en": ", key {column}", "zh": "，键 {column}"},
    "p_where": {"en": "{where}: {message}", "zh": "{where}：{message}"},
    "duration": {"en": "{years} year(s) {months} month(s)", "zh": "{years}年{months}个月"},
    # --- reading files
    "file_not_found": {"en": "file not found", "zh": "文件不存在"},
    "no_sheet": {"en": "no sheet {sheet!r}; the workbook has: {sheets}",
                 "zh": "工作簿中没有工作表 {sheet!r}；现有：{sheets}"},
    "not_text": {"en": "neither UTF-8 nor GB18030/GBK text (byte {byte}); save the file as CSV (UTF-8)",
                 "zh": "既不是 UTF-8 也不是 GB18030/GBK 文本（第 {byte} 字节）；请另存为 CSV（UTF-8）"},
    "cannot_read": {"en": "cannot read the file: {error}", "zh": "无法读取文件：{error}"},
    "nul_byte": {"en": "a NUL byte (\\0): not text; save the file as CSV (UTF-8)",
                 "zh": "含有 NUL 字节（\\0）：不是文本；请另存为 CSV（UTF-8）"},
    "quote_spans": {"en": "a quote (\") opened on this row closes only on row {end}, making "
                          "{fields} fields where the header has {header}: a quote too many or "
                          "too few?",
                    "zh": "此行开始的引号（\"）直到第 {end} 行才闭合，使本行有 {fields} 个字段，"
                          "表头有 {header} 个：是否多了或少了引号？"},
    "open_quote": {"en": "a quote (\") opened on this row is never closed: the rest of the file "
                         "would be read as one value; close it, or put the value in quotes and "
                         "double the quotes inside (\"\")",
                   "zh": "此行开始的引号（\"）没有闭合：文件其余部分会被读成一个值；请闭合引号，"
                         "或将值放在引号中并把其中的引号写成两个（\"\"）"},
    "empty_file": {"en": "the file is empty: a header row is needed", "zh": "文件为空：需要表头行"},
    "missing_column": {"en": "required column is missing", "zh": "缺少必需的列"},
    "header_below": {"en": "the column names must be on row 1, and row {row} holds them: remove "
                           "the rows above it",
                     "zh": "列名须在第 1 行，而第 {row} 行才是列名：请删去其上方的行"},
    "column_near_miss": {"en": "unknown column; did you mean {column!r}?",
                         "zh": "未知的列；是否应为 {column!r}？"},
    "column_ignored": {"en": "a column staffplan does not use: ignored",
                       "zh": "staffplan 不使用此列：已忽略"},
    "column_no_header": {"en": "column {n} has values but no header: ignored",
                         "zh": "第 {n} 列有数据但没有表头：已忽略"},
    "column_twice": {"en": "column appears twice", "zh": "列重复出现"},
    "ragged_row": {"en": "{fields} fields, but the header has {header}",
                   "zh": "本行有 {fields} 个字段，表头有 {header} 个"},
    "id_is_a_name": {"en": "the id is a name of this file (not shown: personal data); give the "
                           "officer an id that is not a name",
                     "zh": "编号是本文件中的姓名（不显示：个人信息）；请为该民警使用非姓名的编号"},
    "empty_id": {"en": "empty id", "zh": "编号为空"},
    "duplicate_id": {"en": "duplicate id {id!r} (first on row {row})",
                     "zh": "编号 {id!r} 重复（首次出现在第 {row} 行）"},
    "bad_kind": {"en": "{value!r} is not a kind; use one of county, district, hq, station, post",
                 "zh": "{value!r} 不是有效类型；可用 county（县局）、district（分局）、hq（机关）、"
                       "station（派出所）、post（警务室）"},
    "bad_area": {"en": "{value!r} is not an area; use urban or rural",
                 "zh": "{value!r} 不是有效区域；可用 urban（城区）或 rural（农村）"},
    "bad_count": {"en": "{value!r} is not a whole number of officers", "zh": "{value!r} 不是整数人数"},
    "min_above_max": {"en": "min_staff {lo} is above max_staff {hi}",
                      "zh": "编制下限 {lo} 大于编制上限 {hi}"},
    "bureau_bounds": {"en": "a bureau has no staff bounds of its own; bounds apply to hq units, "
                            "stations and posts",
                      "zh": "公安局本身没有编制上下限；上下限只适用于机关、派出所和警务室"},
    "cycle": {"en": "cycle in the tree: {chain}", "zh": "组织树中存在循环：{chain}"},
    "bureau_parent": {"en": "a bureau ({kind}) has no parent, but {parent!r} is given",
                      "zh": "公安局（{kind}）不应有上级，但填写了 {parent!r}"},
    "needs_parent": {"en": "a {kind} needs a parent ({want})", "zh": "{kind} 需要上级单位（{want}）"},
    "unknown_unit": {"en": "unknown unit {unit!r}", "zh": "未知单位 {unit!r}"},
    "wrong_parent": {"en": "the parent of a {kind} must be a {want}, but {parent!r} is a {actual}",
                     "zh": "{kind} 的上级必须是 {want}，但 {parent!r} 是 {actual}"},
    "post_area": {"en": "a post takes its station's area ({station}), not {area}",
                  "zh": "警务室沿用所属派出所的区域（{station}），而不是 {area}"},
    "duty_min_station": {"en": "a daytime duty minimum is for stations only",
                         "zh": "白天值班最低人数只适用于派出所"},
    "step_date_order": {"en": "{date} is not after the step before it ({previous})",
                        "zh": "{date} 不晚于上一步（{previous}）"},
    "leaving_at": {"en": "leaving {date}", "zh": "{date} 离开"},
    "t_changed": {"en": "Changed from the published plan: {n} of its {of} officer(s)",
                  "zh": "与已公布方案不同：{of} 名民警中的 {n} 名"},
    "t_unchanged": {"en": "The published plan holds: none of its {of} officer(s) changed",
                    "zh": "已公布方案不变：{of} 名民警无一改动"},
    "t_more_changed": {"en": "{n} more; all are in changed.csv", "zh": "另有 {n} 项；changed.csv 中有完整名单"},
    "h_published": {"en": "published", "zh": "已公布去向"},
    "r_as_published": {"en": " (as published)", "zh": "（同已公布方案）"},
    "g_changed": {"en": "{n} officer(s) of the published plan must go elsewhere; now the fewest "
                        "moves", "zh": "已公布方案中有 {n} 名民警须改变去向；再求最少调动"},
    "x_rule_at": {"en": "{rule} at step {date}", "zh": "{date} 这一步的{rule}"},
    "x_at_step": {"en": "step {date}: {message}", "zh": "{date} 这一步：{message}"},
    "published_no_unit": {"en": "to_unit is empty for officer {id}, who is on the roster: a "
                                "published plan gives every officer a unit",
                          "zh": "民警 {id} 在花名册中，但 to_unit 为空：已公布方案应为每名民警指定单位"},
    "plan_needs_date": {"en": "the scenario plans {n} steps: the plan needs a date column",
                        "zh": "方案共 {n} 步：调整方案文件需要 date（日期）列"},
    "plan_bad_date": {"en": "{value!r} is not a step of the scenario ({dates})",
                      "zh": "{value!r} 不是方案中的步骤日期（{dates}）"},
    "x_in_bureau": {"en": "bureau {bureau}:", "zh": "{bureau}："},
    "g_parts": {"en": "{done} of {n} bureaus planned: {moves} moves so far",
                "zh": "已规划 {done}/{n} 个局：目前调动 {moves} 人"},
    "g_myopic": {"en": "planning each step alone, for comparison", "zh": "逐年单独规划，以作对比"},
    "no_bureau": {"en": "no bureau (county or district) in the tree",
                  "zh": "组织树中没有公安局（县局或分局）"},
    "bad_bool": {"en": "{value!r} is not a yes/no value (true/false, 1/0, yes/no, 是/否)",
                 "zh": "{value!r} 不是是/否值（true/false、1/0、yes/no、是/否）"},
    "bad_date": {"en": "{value!r} is not a date (YYYY-MM-DD)", "zh": "{value!r} 不是日期（YYYY-MM-DD）"},
    "officer_at_bureau": {"en": "{unit!r} is a bureau; officers serve in its hq units, stations or posts",
                          "zh": "{unit!r} 是公安局；民警应在其机关、派出所或警务室任职"},
    "needs_since": {"en": "required for an officer at a post while the minimum community tenure rule is on",
                    "zh": "启用社区工作年限规则时，警务室民警必须填写社区工作起始日期"},
    "bad_home": {"en": "{unit!r} is a {kind}; a borrowed officer's home unit is a station or a post",
                 "zh": "{unit!r} 是{kind}；借调民警的原单位应为派出所或警务室"},
    "not_bureau": {"en": "{value!r} is not a bureau", "zh": "{value!r} 不是公安局"},
    "other_bureau": {"en": "the officer's unit {unit!r} belongs to bureau {actual!r}, not {bureau!r}",
                     "zh": "民警所在单位 {unit!r} 属于 {actual!r}，而不是 {bureau!r}"},
    "recruit_pinned": {"en": "a recruit (no unit) cannot be pinned", "zh": "新招录民警（无单位）不能设为留任"},
    "recruit_borrowed": {"en": "a recruit (no unit) cannot be a borrowed officer",
                         "zh": "新招录民警（无单位）不能是借调人员"},
    "duplicate_officer": {"en": "duplicate officer {id!r} (first on row {row})",
                          "zh": "民警 {id!r} 重复（首次出现在第 {row} 行）"},
    "empty_officer": {"en": "empty officer id", "zh": "民警编号为空"},
    "not_staffed_unit": {"en": "{unit!r} is not an hq unit, station or post",
                         "zh": "{unit!r} 不是机关、派出所或警务室"},
    "unknown_officer": {"en": "unknown officer {id!r}", "zh": "未知民警 {id!r}"},
    "unit_exists": {"en": "unit {unit!r} already exists", "zh": "单位 {unit!r} 已存在"},
    "officer_exists": {"en": "officer {id!r} is already on the roster", "zh": "民警 {id!r} 已在花名册中"},
    "open_posts": {"en": "station {station} still has open posts ({posts}); close them too",
                   "zh": "派出所 {station} 仍有未撤并的警务室（{posts}）；请一并撤并"},
    "recruits_negative": {"en": "a number of recruits is 0 or more", "zh": "新招录人数应为 0 或更多"},
    "out_not_folder": {"en": "--out must be a folder, not a file", "zh": "--out 必须是文件夹，不能是文件"},
    # --- hostile and careless input, output that is never mixed (issue 10)
    "cannot_write": {"en": "cannot write here: {error}", "zh": "无法写入：{error}"},
    "published_steps": {"en": "the published plan has no rows for step(s) {missing} of the {n} "
                              "this scenario plans: --keep keeps to a plan of every step "
                              "(the assignments.csv a plan of these steps wrote)",
                        "zh": "已公布方案缺少本方案 {n} 步中的 {missing}：--keep 需要覆盖每一步的方案"
                              "（按这些步骤编制的方案所写的 assignments.csv）"},
    "cannot_use": {"en": "cannot use this path: {error}", "zh": "无法使用此路径：{error}"},
    "out_locked": {"en": "another staffplan run has been writing here for {seconds} s; try again later",
                   "zh": "另一个 staffplan 正在写入此处已 {seconds} 秒；请稍后再试"},
    "out_is_cwd": {"en": "--out must not be the working folder or a folder above it",
                   "zh": "--out 不能是当前工作文件夹或其上级文件夹"},
    "is_input": {"en": "this is an input of the scenario ({what}); write elsewhere",
                 "zh": "这是方案的输入文件（{what}）；请写到别处"},
    "read_only": {"en": "it is read-only (no write permission, or immutable); make it writable "
                        "to have it replaced, or write elsewhere",
                  "zh": "它是只读的（无写权限或不可更改）；如需替换请先设为可写，或写到别处"},
    "not_empty": {"en": "the folder is not empty; use --force to write into it",
                  "zh": "文件夹不为空；如需写入请加 --force"},
    "file_too_big": {"en": "the file is larger than {limit}, the most staffplan reads",
                     "zh": "文件大于 staffplan 可读取的上限 {limit}"},
    "xlsx_too_big": {"en": "the workbook unpacks to more than {limit}, the most staffplan reads",
                     "zh": "工作簿解压后大于 staffplan 可读取的上限 {limit}"},
    "sheet_too_big": {"en": "the sheet has data beyond {what} (at most {limit})",
                      "zh": "工作表的数据超出{what}（最多 {limit}）"},
    "not_xlsx": {"en": "not an Excel workbook (.xlsx): {error}",
                 "zh": "不是 Excel 工作簿（.xlsx）：{error}"},
    "workbook_not_named_xlsx": {
        "en": "an Excel workbook, not CSV text: name it .xlsx (an old-format .xls workbook: "
              "save it as .xlsx or as CSV UTF-8 first)",
        "zh": "这是 Excel 工作簿，不是 CSV 文本：请将文件名改为 .xlsx（旧格式 .xls 工作簿请先另存为 "
              ".xlsx 或 CSV UTF-8）"},
    "xlsx_part_twice": {"en": "a damaged workbook: its part {part} is in it twice (which one "
                              "Excel reads cannot be told)",
                        "zh": "工作簿已损坏：其中的 {part} 出现两次（无法确定 Excel 读取哪一个）"},
    "xlsx_encrypted": {"en": "a password-protected or old-format (.xls) workbook; save it as "
                             ".xlsx without a password",
                       "zh": "工作簿有密码保护或为旧格式（.xls）；请另存为无密码的 .xlsx"},
    "xlsx_formula": {"en": "cell {cell} holds a formula without a saved result; open and save the "
                           "file in Excel, or paste the values",
                     "zh": "单元格 {cell} 是没有保存结果的公式；请在 Excel 中打开并保存，或粘贴为数值"},
    "xlsx_not_number": {"en": "cell {cell} holds a number that is not finite (NaN or infinity)",
                        "zh": "单元格 {cell} 中的数值不是有限数（NaN 或无穷大）"},
    "xlsx_unreadable": {"en": "cell {cell} cannot be read (damaged)",
                        "zh": "单元格 {cell} 无法读取（已损坏）"},
    "xlsx_error": {"en": "cell {cell} holds the Excel error {value}",
                   "zh": "单元格 {cell} 为 Excel 错误值 {value}"},
    "xlsx_row_twice": {"en": "row {row} is written twice in the sheet (a damaged file: which of its values hold cannot be told); open and save the file in Excel",
                       "zh": "工作表中第 {row} 行写了两次（文件已损坏：无法判断哪些值有效）；请在 Excel 中打开并保存"},
    "xlsx_row_order": {"en": "row {row} is written after row {before} in the sheet (a damaged file: rows are written in order); open and save the file in Excel",
                       "zh": "工作表中第 {row} 行写在第 {before} 行之后（文件已损坏：各行应按顺序写入）；请在 Excel 中打开并保存"},
    "xlsx_bad_row": {"en": "a row numbered {ref!r} after row {before} in the sheet (a damaged file); open and save the file in Excel",
                     "zh": "工作表中第 {before} 行之后有一行的行号为 {ref!r}（文件已损坏）；请在 Excel 中打开并保存"},
    "xlsx_cell_twice": {"en": "cell {cell} is written twice in the sheet (a damaged file: which value holds cannot be told); open and save the file in Excel",
                        "zh": "工作表中单元格 {cell} 写了两次（文件已损坏：无法判断哪个值有效）；请在 Excel 中打开并保存"},
    "xlsx_cell_order": {"en": "cell {cell} is written after cell {before} in the sheet (a damaged file: cells are written in order); open and save the file in Excel",
                        "zh": "工作表中单元格 {cell} 写在单元格 {before} 之后（文件已损坏：单元格应按顺序写入）；请在 Excel 中打开并保存"},
    "xlsx_cell_row": {"en": "cell {cell} is written in row {row} of the sheet (a damaged file: which row it belongs to cannot be told); open and save the file in Excel",
                      "zh": "单元格 {cell} 写在工作表的第 {row} 行中（文件已损坏：无法判断它属于哪一行）；请在 Excel 中打开并保存"},
    "too_many_columns": {"en": "{n} columns, more than the {limit} staffplan reads",
                         "zh": "共 {n} 列，超过 staffplan 可读取的上限 {limit} 列"},
    "too_many_lines": {"en": "{n} lines (blank ones too), more than a header and the {limit} rows staffplan reads",
                       "zh": "共 {n} 行（含空行），超过 staffplan 可读取的上限（表头加 {limit} 行）"},
    "value_too_long": {"en": "a value longer than {limit} characters, far longer than any staffplan reads (not a table, or a quote never closed?)",
                       "zh": "有一个值超过 {limit} 个字符，远超 staffplan 读取的任何值（不是表格，或引号没有闭合？）"},
    "line_too_long": {"en": "a line longer than {limit} characters, far longer than any row staffplan reads (not a table?)",
                      "zh": "有一行超过 {limit} 个字符，远超 staffplan 读取的任何一行（不是表格？）"},
    "columns_ignored": {"en": "{n} columns staffplan does not use: ignored ({columns})",
                        "zh": "staffplan 不使用的 {n} 列：已忽略（{columns}）"},
    "columns_no_header": {"en": "columns {columns} have values but no header: ignored",
                          "zh": "第 {columns} 列有数据但没有表头：已忽略"},
    "and_more": {"en": "{names} and {n} more", "zh": "{names} 等，另有 {n} 个"},
    "not_regular": {"en": "not a regular file ({kind}); staffplan reads only regular files",
                    "zh": "不是普通文件（{kind}）；staffplan 只读取普通文件"},
    "ftype_folder": {"en": "a folder", "zh": "文件夹"},
    "ftype_fifo": {"en": "a named pipe (FIFO)", "zh": "命名管道（FIFO）"},
    "ftype_socket": {"en": "a socket", "zh": "套接字"},
    "ftype_char_device": {"en": "a character device", "zh": "字符设备"},
    "ftype_block_device": {"en": "a block device", "zh": "块设备"},
    "ftype_other": {"en": "not a file", "zh": "不是文件"},
    "encoding_used": {"en": "read as {encoding}, not UTF-8 (detected); if text looks wrong, set "
                            "encoding: in the scenario",
                      "zh": "按 {encoding}（而非 UTF-8）读取（自动识别）；如文字显示有误，请在方案中设置 encoding:"},
    "encoding_set": {"en": "read as {encoding} (encoding: in the scenario)",
                     "zh": "按 {encoding} 读取（方案中的 encoding:）"},
    "not_in_encoding": {"en": "not valid {encoding} text (byte {byte})",
                        "zh": "不是有效的 {encoding} 文本（第 {byte} 字节）"},
    "duplicate_key": {"en": "key {name!r} appears twice (first on line {first})",
                      "zh": "键 {name!r} 出现两次（首次在第 {first} 行）"},
    "yaml_too_big": {"en": "the YAML expands to more than {limit} values (aliases of aliases?)",
                     "zh": "YAML 展开后超过 {limit} 个值（别名套别名？）"},
    "yaml_too_deep": {"en": "the YAML is nested more than {limit} levels deep",
                      "zh": "YAML 嵌套超过 {limit} 层"},
    "too_many_recruits": {"en": "{n} recruits is too many: at most {limit} (10 times the roster's "
                                "{officers} officers, or 10,000)",
                          "zh": "新招录 {n} 人过多：最多 {limit} 人（花名册 {officers} 人的 10 倍，或 10,000）"},
    "date_range": {"en": "{value!r}: dates from {lo} to {hi} only",
                   "zh": "{value!r}：日期须在 {lo} 至 {hi} 之间"},
    "vary_syntax": {"en": "a --vary value is KEY=START:STOP:STEP (stop included, e.g. "
                          "rules.community_share=0.40:0.56:0.01) or KEY=V1,V2,...",
                    "zh": "--vary 的格式为 键=起点:终点:步长（含终点，例如 "
                          "rules.community_share=0.40:0.56:0.01）或 键=值1,值2,..."},
    "vary_range": {"en": "{value!r} is not a range: START:STOP:STEP, three numbers (stop "
                         "included, e.g. 0.40:0.56:0.01), or list the values: V1,V2,...",
                   "zh": "{value!r} 不是有效范围：应为 起点:终点:步长 三个数（含终点，例如 "
                         "0.40:0.56:0.01），或逐个列出：值1,值2,..."},
    "vary_too_big": {"en": "{value!r}: START, STOP and STEP are at most {limit}",
                     "zh": "{value!r}：起点、终点和步长最多为 {limit}"},
    "vary_order": {"en": "{value!r}: needs STEP > 0 and STOP >= START",
                   "zh": "{value!r}：需要 步长 > 0 且 终点 >= 起点"},
    "vary_too_many": {"en": "{n} values is too many (at most {limit})",
                      "zh": "{n} 个取值过多（最多 {limit} 个）"},
    "vary_bad_value": {"en": "{value!r} is not a value (a number, true/false, null or text)",
                       "zh": "{value!r} 不是有效取值（数字、true/false、null 或文本）"},
    "vary_no_values": {"en": "no values", "zh": "没有取值"},
    "vary_value_twice": {"en": "the value {value} is given twice", "zh": "取值 {value} 重复给出"},
    "vary_one_or_two": {"en": "give one or two --vary options", "zh": "请给出一个或两个 --vary 选项"},
    "vary_same_key": {"en": "varied twice (alone, or inside the other --vary's key): give each "
                            "value one --vary",
                      "zh": "同一值变化了两次（同一键，或在另一 --vary 的键之内）：每个值只用一个 --vary"},
    "vary_every_point": {"en": "every grid point", "zh": "所有网格点"},
    "vary_point": {"en": "grid point {point}", "zh": "网格点 {point}"},
    "vary_points": {"en": "{n} grid points, e.g. {point}", "zh": "{n} 个网格点，例如 {point}"},
    "grid_too_big": {"en": "{n} grid points is too many (at most {limit})",
                     "zh": "网格点 {n} 个过多（最多 {limit} 个）"},
    "workers_capped": {"en": "-j {asked}: using {n} worker(s), the number of cores",
                       "zh": "-j {asked}：使用 {n} 个进程（CPU 核数）"},
    "no_rows": {"en": "a header but no unit: the organisation needs at least a bureau",
                "zh": "只有表头、没有单位：组织结构至少需要一个县局或分局"},
    "hidden_value": {"en": "(a value right of the name column, not shown: it may be part of a "
                           "name)",
                     "zh": "（姓名列右侧的值，可能是姓名的一部分，不显示）"},
    "comma_in_name": {"en": " (a comma in a {column}? put the value in quotes: \"Surname, Given\")",
                      "zh": "（{column} 中含有逗号？请将其放在引号中：\"姓,名\"）"},
    "name_shifted": {"en": "the values right of this column read as shifted by {k} column(s): a "
                           "comma in the {column}? put it in quotes (\"Surname, Given\"); no value of "
                           "the row is shown",
                     "zh": "此列右侧的值似乎错位了 {k} 列：{column} 中含有逗号？请将其放在引号中"
                           "（\"姓,名\"）；本行的值均不显示"},
    "name_maybe_shifted": {"en": "several values right of this column are wrong: a comma in the "
                                 "{column}? put it in quotes (\"Surname, Given\")",
                           "zh": "此列右侧有多个值有误：{column} 中含有逗号？请将其放在引号中"
                                 "（\"姓,名\"）"},
    "hidden_name": {"en": "(a value from the name column, not shown)",
                    "zh": "（姓名列中的值，不显示）"},
    "hidden_mixed": {"en": "(not shown: the {column} column does not hold a name here: are the "
                           "columns mixed up?)",
                     "zh": "（不显示：{column} 列此处不是姓名：各列是否错位？）"},
    "hidden_no_name": {"en": "(not shown: the {column} of this row is empty, so a name may be in "
                             "another column)",
                       "zh": "（不显示：本行的 {column} 为空，姓名可能在其他列中）"},
    # --- a column that holds something other than what its header says
    "col_not_holding": {"en": "{n} of {filled} values are not {what} ({rows}); no value is "
                              "shown: are the headers mixed up?",
                        "zh": "{filled} 个值中有 {n} 个不是{what}（{rows}）；不显示任何值："
                              "表头是否错位？"},
    "col_swapped": {"en": "{n} of {filled} values are not {what} ({rows}), but column {other} "
                          "holds {what}: the headers {column} and {other} look swapped (no value "
                          "is shown)",
                    "zh": "{filled} 个值中有 {n} 个不是{what}（{rows}），而 {other} 列中是{what}："
                          "表头 {column} 与 {other} 似乎互换了（不显示任何值）"},
    "col_not_names": {"en": "{n} of {filled} values look like {what}, not names ({rows}); no "
                            "value of the file is shown: are the headers mixed up?",
                      "zh": "{filled} 个值中有 {n} 个看起来是{what}而不是姓名（{rows}）；"
                            "不显示文件中的任何值：表头是否错位？"},
    "col_names_swapped": {"en": "{n} of {filled} values look like {what}, not names ({rows}), "
                                "while column {other} holds none: the headers {column} and "
                                "{other} look swapped (no value of the file is shown)",
                          "zh": "{filled} 个值中有 {n} 个看起来是{what}而不是姓名（{rows}），而 "
                                "{other} 列中没有：表头 {column} 与 {other} 似乎互换了（不显示文件中"
                                "的任何值）"},
    "col_rows": {"en": "rows {rows}", "zh": "第 {rows} 行"},
    "col_row": {"en": "row {rows}", "zh": "第 {rows} 行"},
    "what_unit": {"en": "unit ids", "zh": "单位编号"},
    "what_officer": {"en": "ids of officers on the roster", "zh": "花名册中的民警编号"},
    "what_date": {"en": "dates", "zh": "日期"},
    "what_bool": {"en": "yes/no values", "zh": "是/否"},
    "what_role": {"en": "roles", "zh": "职务"},
    "what_rank": {"en": "ranks of the ladder", "zh": "职级序列中的职级"},
    "what_score": {"en": "scores", "zh": "考核分数"},
    "what_data": {"en": "ids, dates or numbers", "zh": "编号、日期或数字"},
    # --- ids: one policy for every id column (staffplan.domain.IdIndex)
    "id_unseen": {"en": "{value!r} holds {chars}: a character that cannot be seen (or a control "
                        "character); write the id with visible characters only",
                  "zh": "{value!r} 含有 {chars}：不可见字符（或控制字符）；编号只能由可见字符组成"},
    "id_look_alike": {"en": "{id!r} looks the same as {other!r} {where} but is written with "
                            "other characters ({spelled}): two ids must differ in what can be "
                            "seen",
                      "zh": "{id!r} 与{where}的 {other!r} 看起来相同，但字符不同（{spelled}）："
                            "不同的编号须有看得出的区别"},
    "id_on_row": {"en": "on row {row}", "zh": "第 {row} 行"},
    "id_on_roster_row": {"en": "on row {row} of the roster", "zh": "花名册第 {row} 行"},
    "id_spelled": {"en": "{here} where that id has {there}", "zh": "此处为 {here}，该编号为 {there}"},
    "id_nothing": {"en": "nothing", "zh": "无"},
    "id_did_you_mean": {"en": "; did you mean {id!r}? It looks the same but is written with other "
                              "characters ({spelled})",
                        "zh": "；是否应为 {id!r}？两者看起来相同，但字符不同（{spelled}）"},
    "id_other_case": {"en": "; did you mean {id!r}? Ids are compared as written, capitals "
                            "included",
                      "zh": "；是否应为 {id!r}？编号按原样比较，区分大小写"},
    "id_holds_unseen": {"en": "; it holds {chars}, a character that cannot be seen",
                        "zh": "；其中含有不可见字符 {chars}"},
    # --- dates of the past that are later than the plan date
    "date_after_plan": {"en": "{date} is after the plan date {plan}: this date says what has "
                              "already happened, so it cannot be later",
                        "zh": "{date} 晚于规划日期 {plan}：此日期记录的是已发生的事，不能晚于"
                              "规划日期"},
    "hired_after_plan": {"en": "{date} is after the plan date {plan}, but the officer is already "
                               "at a unit: an officer who joins later is a recruit (leave unit "
                               "empty)",
                         "zh": "{date} 晚于规划日期 {plan}，但该民警已在单位任职：以后入警的民警"
                               "是新招录民警（单位留空）"},
    # --- the scenario file
    "unknown_key": {"en": "unknown key", "zh": "未知的键"},
    "key_did_you_mean": {"en": "; did you mean {name!r}?", "zh": "；是否应为 {name!r}？"},
    "missing_key": {"en": "required key is missing", "zh": "缺少必需的键"},
    "not_yaml": {"en": "not valid YAML: {error}", "zh": "不是有效的 YAML：{error}"},
    "not_mapping": {"en": "a scenario must be a YAML mapping (name:, plan_date:, ...)",
                    "zh": "方案文件必须是 YAML 映射（name:、plan_date: 等）"},
    "le": {"en": "Input should be less than or equal to {le}", "zh": "应小于或等于 {le}"},
    "ge": {"en": "Input should be greater than or equal to {ge}", "zh": "应大于或等于 {ge}"},
    "not_number": {"en": "Input should be a valid number, unable to parse string as a number",
                   "zh": "应为数字"},
    "not_integer": {"en": "Input should be a valid integer", "zh": "应为整数"},
    "not_bool": {"en": "Input should be a valid boolean", "zh": "应为是/否（true/false）"},
    "not_date": {"en": "Input should be a valid date (YYYY-MM-DD)", "zh": "应为有效日期（YYYY-MM-DD）"},
    "extends_cycle": {"en": "extends cycle: {chain}", "zh": "extends 循环引用：{chain}"},
    "extended_by": {"en": "{message} (extended by {chain})", "zh": "{message}（被 {chain} 继承）"},
    "extends_too_many": {"en": "more than {limit} files in the extends chain: {chain}",
                         "zh": "extends 链中的文件超过 {limit} 个：{chain}"},
    "files_between": {"en": "... {n} more ...", "zh": "……另 {n} 个……"},
    "extends_type": {"en": "a path or a list of paths", "zh": "应为路径或路径列表"},
    "set_syntax": {"en": "expected KEY=VALUE, e.g. rules.community_share=0.5",
                   "zh": "格式应为 键=值，例如 rules.community_share=0.5"},
    "set_twice": {"en": "set twice", "zh": "重复设置"},
    "set_empty": {"en": "an empty value: write KEY=null to switch a rule off, or give a value",
                  "zh": "值为空：要关闭规则请写 键=null，否则请给出值"},
    "not_written_as_number": {"en": "not a number: {value} (a number is written in digits, "
                                    "e.g. 1000 or 0.5, without _ or :)",
                              "zh": "不是数字：{value}（数字只用数字书写，例如 1000 或 0.5，"
                                    "不含 _ 或 :）"},
    "bool_not_number": {"en": "not a number: {value} (null switches a rule off)",
                        "zh": "不是数字：{value}（null 表示关闭规则）"},
    "generate_too_many": {"en": "{n} officers is too many: at most {limit}",
                          "zh": "{n} 名民警过多：最多 {limit} 名"},
    "generate_steps": {"en": "steps: 1 to {limit}", "zh": "步数：1 至 {limit}"},
    "generate_posts": {"en": "cannot spread the posts over the bureaus",
                       "zh": "无法将警务室分配到各局"},
    "generate_too_few": {"en": "too few officers for bureau {bureau}; use more --officers",
                         "zh": "{bureau} 民警过少；请增加 --officers"},
    "t_note": {"en": "note: {message}", "zh": "注意：{message}"},
    "set_bad_key": {"en": "expected KEY=VALUE with a dotted key (no empty part), e.g. "
                          "rules.community_share=0.5",
                    "zh": "格式应为 键=值，键由点分隔且各段不能为空，例如 rules.community_share=0.5"},
    "unknown_encoding": {"en": "unknown encoding {value!r}; e.g. utf-8, gb18030, latin-1",
                         "zh": "未知编码 {value!r}；可用 utf-8、gb18030、latin-1 等"},
    "six_decimals": {"en": "at most 6 decimal places (0.445, 0.5583)",
                     "zh": "最多 6 位小数（如 0.445、0.5583）"},
    "number_too_big": {"en": "the number is too large", "zh": "数值过大"},
    "not_a_number": {"en": "not a number (NaN)", "zh": "不是数字（NaN）"},
    "not_string_value": {"en": "should be text", "zh": "应为文本"},
    "too_many_chars": {"en": "at most {n} characters", "zh": "最多 {n} 个字符"},
    "empty_value": {"en": "must not be empty", "zh": "不能为空"},
    "too_many_items": {"en": "at most {n} entries", "zh": "最多 {n} 项"},
    "too_few_items": {"en": "at least {n} entries", "zh": "至少 {n} 项"},
    "not_mapping_value": {"en": "should be a mapping (key: value)", "zh": "应为映射（键: 值）"},
    "not_list": {"en": "should be a list", "zh": "应为列表"},
    "not_one_of": {"en": "should be one of {choices}", "zh": "应为以下之一：{choices}"},
    "expected": {"en": "should be {choices}", "zh": "应为{choices}"},
    "w_or": {"en": ", or ", "zh": "或"},
    "w_int": {"en": "a whole number", "zh": "整数"},
    "w_number": {"en": "a number", "zh": "数字"},
    "w_number_expected": {"en": "should be a number", "zh": "应为数字"},
    "w_bool": {"en": "true or false", "zh": "true 或 false"},
    "w_text": {"en": "text", "zh": "文本"},
    "w_list": {"en": "a list", "zh": "列表"},
    "w_mapping": {"en": "a mapping (key: value, e.g. one per bureau id)",
                  "zh": "映射（键: 值，如按局编号设定）"},
    "w_date": {"en": "a date (YYYY-MM-DD)", "zh": "日期（YYYY-MM-DD）"},
    "w_null": {"en": "null", "zh": "null（空）"},
    "pm_ladder_distinct": {"en": "the ladder's ranks must be distinct and not empty",
                           "zh": "职级序列中的职级不能重复或为空"},
    # --- bounds on what is read (staffplan.bounds)
    "date_range_only": {"en": "dates from {lo} to {hi} only", "zh": "日期只能在 {lo} 至 {hi} 之间"},
    "too_many_heads": {"en": "too large: a number of officers is at most {limit}",
                       "zh": "数值过大：人数最多为 {limit}"},
    "too_many_yuan": {"en": "too large: an amount of yuan is at most {limit}",
                      "zh": "数值过大：金额最多为 {limit} 元"},
    "too_many_years": {"en": "too large: at most {limit} (years, or a rate)",
                       "zh": "数值过大：最多为 {limit}（年数或倍数）"},
    "too_long": {"en": "{n} characters long; at most {limit}",
                 "zh": "长度为 {n} 个字符；最多 {limit} 个"},
    "too_long_name": {"en": "{n} characters long; a name has at most {limit} (not shown)",
                      "zh": "长度为 {n} 个字符；姓名最多 {limit} 个字符（不显示）"},
    # --- the checker
    "who_officer": {"en": "officer", "zh": "民警"},
    "who_recruit": {"en": "recruit", "zh": "新招录民警"},
    # --- reasons (assignments.csv, explain)
    "r_stays": {"en": "stays: not needed elsewhere", "zh": "不调动：其他单位不需要"},
    "r_to_post": {"en": "staffs post {unit}", "zh": "充实警务室 {unit}"},
    "r_hq_to_station": {"en": "to station {unit}: raises the station strength of bureau {bureau}",
                        "zh": "下沉到派出所 {unit}：提高 {bureau} 的派出所警力"},
    "r_to_station": {"en": "to station {unit} (station staffing of bureau {bureau})",
                     "zh": "调到派出所 {unit}（{bureau} 派出所警力）"},
    "r_to_hq": {"en": "to headquarters unit {unit} (unit bounds of bureau {bureau})",
                "zh": "调到机关 {unit}（{bureau} 编制上下限）"},
    "r_closes": {"en": "{unit} closes; {why}", "zh": "{unit} 撤并；{why}"},
    "r_move": {"en": "{kind}: {why}", "zh": "{kind}：{why}"},  # kind: staffplan.moves.label
    "r_recruit": {"en": "recruit placed at {kind} {unit}", "zh": "新招录民警分配到{kind} {unit}"},
    "no_hired_column": {"en": "no column 'hired' (the hire date): where officers of a unit are alike, "
                              "the longest-serving cannot be chosen first; ids decide",
                        "zh": "无“入警日期”（hired）列：同一单位条件相同的民警无法按资历优先选定，改按编号"},
    "r_by_id": {"en": "first by id (no hire date)", "zh": "按编号在先（无入警日期）"},
    "r_chosen": {"en": "chosen before others at {unit}: {why}", "zh": "在 {unit} 中优先选中：{why}"},
    "r_longest": {"en": "longest-serving first (hired {hired})", "zh": "任职最久者优先（{hired} 入职）"},
    "r_longest_tenure": {"en": "longest community tenure first (since {since})",
                         "zh": "社区工作最久者优先（自 {since} 起）"},
    # --- why no plan
    "x_cannot_alone": {"en": "{rule} cannot hold, even with every other rule relaxed:",
                       "zh": "即使放宽其他所有规则，{rule} 仍无法满足："},
    "x_together": {"en": "these rules cannot all hold together: {rules}; relaxing each in turn:",
                   "zh": "以下规则无法同时满足：{rules}；逐一放宽："},
    "x_held": {"en": " (with {rules} held)", "zh": "（其余规则 {rules} 保持）"},
    "x_unmeasured": {"en": "{rule}{given}: could not be measured", "zh": "{rule}{given}：无法计算"},
    "x_hold_closed": {"en": "officer {officer}: {rule} needs them at {unit}, which closes",
                      "zh": "民警 {officer}：{rule} 要求其在 {unit}，但该单位撤并"},
    "x_hold_other_bureau": {"en": "officer {officer}: {rule} sends them to {unit} in bureau {other}, "
                                  "but moves stay within bureau {bureau}",
                            "zh": "民警 {officer}：{rule} 要求调到 {other} 的 {unit}，但调动须在 {bureau} 内"},
    "x_disagree": {"en": "officer {officer}: {parts}", "zh": "民警 {officer}：{parts}"},
    "x_keeps": {"en": "{rule} keeps them at {unit}", "zh": "{rule} 要求留在 {unit}"},
    "x_sends": {"en": "{rule} sends them to {unit}", "zh": "{rule} 要求调到 {unit}"},
    "x_no_recruit_units": {"en": "bureau {bureau} has {n} recruit(s) but no station or post to take them",
                           "zh": "{bureau} 有 {n} 名新招录民警，但没有可接收的派出所或警务室"},
    "x_time_out": {"en": "the time limit ran out before any plan was found",
                   "zh": "在时间限制内未找到任何方案"},
    # --- tables and summaries
    "h_bureau": {"en": "bureau", "zh": "公安局"},
    "h_kind": {"en": "kind", "zh": "类型"},
    "h_force": {"en": "force", "zh": "总警力"},
    "h_station": {"en": "station", "zh": "派出所警力"},
    "h_station_share": {"en": "station share", "zh": "派出所警力占比"},
    "h_target": {"en": "target", "zh": "目标"},
    "h_community": {"en": "community", "zh": "社区民警"},
    "h_community_share": {"en": "community share", "zh": "社区民警占比"},
    "h_posts_staffed": {"en": "posts staffed", "zh": "警务室配备"},
    "h_officer": {"en": "officer", "zh": "民警"},
    "h_name": {"en": "name", "zh": "姓名"},
    "h_from": {"en": "from", "zh": "原单位"},
    "h_before_plan": {"en": "unit before the plan", "zh": "规划前单位"},
    "h_to": {"en": "to", "zh": "新单位"},
    "h_reason": {"en": "reason", "zh": "原因"},
    "h_rule": {"en": "rule", "zh": "规则"},
    "h_status": {"en": "status", "zh": "状态"},
    "h_checked": {"en": "checked", "zh": "检查数"},
    "h_violations": {"en": "violations", "zh": "违规数"},
    "h_subject": {"en": "subject", "zh": "对象"},
    "h_what": {"en": "what", "zh": "说明"},
    "h_officers": {"en": "officers", "zh": "人数"},
    "h_tenure": {"en": "tenure", "zh": "社区工作年限"},
    "h_approved": {"en": "approved", "zh": "已批准"},
    "h_unit": {"en": "unit", "zh": "单位"},
    "h_before": {"en": "before", "zh": "调整前"},
    "h_after": {"en": "after", "zh": "调整后"},
    "h_value": {"en": "value", "zh": "值"},
    "h_source": {"en": "source", "zh": "来源"},
    "status_ok": {"en": "ok", "zh": "通过"},
    "status_violated": {"en": "violated", "zh": "违规"},
    "status_off": {"en": "off", "zh": "未启用"},
    "yes": {"en": "yes", "zh": "是"},
    "no": {"en": "no", "zh": "否"},
    "t_per_bureau_plan": {"en": "Per bureau, after the plan (before it in brackets)",
                          "zh": "各单位情况：调整后（括号内为调整前）"},
    "t_per_bureau_roster": {"en": "Current roster: per bureau", "zh": "当前花名册：各单位情况"},
    "t_per_bureau_check": {"en": "Plan: per bureau", "zh": "调整方案：各单位情况"},
    "t_bureau_caption": {"en": "station strength: officers at stations and posts; community "
                               "officers: officers at posts; share targets are minimums",
                         "zh": "派出所警力：派出所及警务室民警；社区民警：警务室民警；占比目标为下限"},
    "t_marks": {"en": " (✓ met, ✗ not met)", "zh": "（✓ 达标，✗ 未达标）"},
    "t_list_sep": {"en": "; ", "zh": "；"},
    "t_moves_by_kind": {"en": "Moves by kind", "zh": "调动分类"},
    "t_recruits_placed": {"en": "recruits placed", "zh": "新招录民警分配人数"},
    "t_moves_total": {"en": "moves (existing officers)", "zh": "调动人数（现有民警）"},
    "t_moves": {"en": "Moves ({n})", "zh": "调动名单（{n} 人）"},
    "t_more_moves": {"en": "{n} more; --all shows every move (all are in assignments.csv)",
                     "zh": "另有 {n} 人；--all 显示全部（assignments.csv 中有完整名单）"},
    "t_rules": {"en": "Rules", "zh": "规则"},
    "t_violations": {"en": "Violations ({n})", "zh": "违规（{n} 项）"},
    "t_more_violations": {"en": "{n} more; --all shows every violation", "zh": "另有 {n} 项；--all 显示全部"},
    "t_warnings": {"en": "Warnings ({n})", "zh": "提示（{n} 项）"},
    "t_more_warnings": {"en": "{n} more; --all shows every warning",
                        "zh": "另有 {n} 项；--all 显示全部"},
    "t_notices": {"en": "Notices, never a failure ({n})", "zh": "信息，不计为不通过（{n} 项）"},
    "t_more_notices": {"en": "{n} more; --all shows every notice",
                       "zh": "另有 {n} 项；--all 显示全部"},
    "t_plan_notices": {"en": "{n} notice(s) for the next plan (posts at their minimum whose "
                             "officer completes the minimum tenure within a year); this command "
                             "lists them:",
                       "zh": "{n} 条信息供下次调整参考（警务室人数在下限且民警一年内满规定年限）；"
                             "以下命令可列出："},
    "t_report_notices": {"en": "{n} notice(s) for the next plan (posts at their minimum whose "
                               "officer completes the minimum tenure within a year): staffplan "
                               "check with --assignments and this plan's assignments.csv lists "
                               "them.",
                         "zh": "{n} 条信息供下次调整参考（警务室人数在下限且民警一年内满规定年限）："
                               "用 staffplan check 加 --assignments 和本方案的 assignments.csv "
                               "可列出。"},
    "t_left_out": {"en": "not shown, by rule: {rules}", "zh": "未显示的，按规则：{rules}"},
    "t_rule_count": {"en": "{rule} {n}", "zh": "{rule} {n} 项"},
    "area_urban": {"en": "urban", "zh": "城区"},
    "area_rural": {"en": "rural", "zh": "农村"},
    "h_city": {"en": "city", "zh": "全市"},
    # the per-bureau table's headers, on two lines
    "hb_station": {"en": "station\nstrength", "zh": "派出所\n警力"},
    "hb_station_share": {"en": "station\nshare", "zh": "派出所\n警力占比"},
    "hb_community": {"en": "community\nofficers", "zh": "社区\n民警"},
    "hb_community_share": {"en": "community\nshare", "zh": "社区民警\n占比"},
    "hb_posts_staffed": {"en": "posts\nstaffed", "zh": "警务室\n配备"},
    "hb_funds": {"en": "community\nfunds", "zh": "社区民警\n经费"},
    "t_funds_city": {"en": "community funds, city: {after} yuan a year",
                     "zh": "社区警务经费（全市）：每年 {after} 元"},
    "t_funds_city_was": {"en": "community funds, city: {after} yuan a year ({before} before the plan)",
                         "zh": "社区警务经费（全市）：每年 {after} 元（调整前 {before} 元）"},
    "t_funds_rate": {"en": "community funds: yuan a year, {per} per community officer",
                     "zh": "社区民警经费：元/年，每名社区民警 {per} 元"},
    "h_funds": {"en": "community funds (yuan a year)", "zh": "社区民警经费（元/年）"},
    "t_approvals": {"en": "{n} transfer(s) of community officers before the minimum tenure need the "
                          "city committee's approval ({missing} without it)",
                    "zh": "{n} 项社区民警未满年限的调动需经市局派出所工作委员会批准（其中 {missing} 项未批准）"},
    "t_see_file": {"en": "; see {file}", "zh": "；见 {file}"},
    "t_unplaced": {"en": "{n} recruit(s) not yet placed (not a violation of the roster): {ids}",
                   "zh": "{n} 名新招录民警尚未分配（不计为花名册违规）：{ids}"},
    "t_plan_head_steps": {"en": "{name} — {n} steps, {first} to {last}: {moves} move(s) planned "
                                "together, {proof}; solver {solver}, {seconds:.2f} s",
                          "zh": "{name} — {first} 至 {last} 共 {n} 步：统筹规划调动 {moves} 人，{proof}；"
                                "求解器 {solver}，{seconds:.2f} 秒"},
    "t_myopic": {"en": "Planned year by year (each step alone, for its fewest moves), the same "
                       "steps need {moves} moves ({steps}): {more} against planning them "
                       "together.",
                 "zh": "逐年单独规划（每一步只求当步最少）共需调动 {moves} 人（{steps}），"
                       "与统筹规划相比 {more} 人。"},
    "t_myopic_fails": {"en": "Planned year by year (each step alone), no plan meets the rules at "
                             "step {date}:",
                       "zh": "逐年单独规划（每一步只求当步最少）时，{date} 这一步无法满足规则："},
    "t_myopic_more": {"en": "… {n} more line(s): summary.json, myopic_moves.why",
                      "zh": "……另有 {n} 行：见 summary.json 的 myopic_moves.why"},
    "t_steps": {"en": "By step", "zh": "逐步情况"},
    "t_shares_by_step": {"en": "Shares by step, against each step's targets",
                         "zh": "各步比例与当步目标"},
    "t_shares_by_step_caption": {"en": "✓ meets the step's target (≥), ✗ falls short",
                                 "zh": "✓ 达到当步目标（≥），✗ 未达到"},
    "t_per_bureau_end": {"en": "Per bureau, at the last step (at the start in brackets)",
                         "zh": "各单位情况：最后一步（括号内为开始时）"},
    "h_station_community": {"en": "station / community", "zh": "派出所 / 社区民警"},
    "rep_sub_steps": {"en": "{n} steps, {first} to {last}: {moves} move(s) planned together, "
                            "{proof}. {approvals} transfer(s) need the city committee's approval.",
                      "zh": "{first} 至 {last} 共 {n} 步：统筹规划调动 {moves} 人，{proof}。"
                            "{approvals} 项调动需经市局派出所工作委员会批准。"},
    "rep_myopic": {"en": "Planned year by year, the same steps need {moves} ({more}).",
                   "zh": "逐年单独规划共需调动 {moves} 人（{more}）。"},
    "rep_myopic_fails": {"en": "Planned year by year, no plan meets the rules at step {date}.",
                         "zh": "逐年单独规划时，{date} 这一步无法满足规则。"},
    "rep_ramp_station": {"en": "Station strength / force by step, against the ramp",
                         "zh": "各步派出所警力占比与目标"},
    "rep_ramp_community": {"en": "Community officers / station strength by step, against the ramp",
                           "zh": "各步社区民警占比与目标"},
    "rep_ramp_note": {"en": "One dot per bureau and step; the dashes are each step's targets.",
                      "zh": "每个点为一个局在一步的比例；虚线为当步目标。"},
    "s_horizon": {"en": "Steps", "zh": "逐步"},
    "h_myopic_moves": {"en": "moves, year by year", "zh": "逐年单独规划的调动"},
    "h_station_met_n": {"en": "bureaus meeting the station share", "zh": "派出所比例达标的局"},
    "h_community_met_n": {"en": "bureaus meeting the community share",
                          "zh": "社区民警比例达标的局"},
    "h_bureaus": {"en": "bureaus", "zh": "局数"},
    "h_date": {"en": "date", "zh": "日期"},
    "h_moves": {"en": "moves", "zh": "调动"},
    "h_total": {"en": "total", "zh": "合计"},
    "hb_station_met": {"en": "station\nshare met", "zh": "派出所\n比例达标"},
    "hb_community_met": {"en": "community\nshare met", "zh": "社区民警\n比例达标"},
    "t_plan_head": {"en": "{name} — plan date {date}: {moves} move(s), {proof}; solver {solver}, {seconds:.2f} s",
                    "zh": "{name} — 基准日 {date}：调动 {moves} 人，{proof}；求解器 {solver}，{seconds:.2f} 秒"},
    "t_proven": {"en": "proven minimum", "zh": "已证明为最少"},
    "t_gap": {"en": "best found within the time limit, gap {gap} (bound {bound})",
              "zh": "时间限制内的最好方案，差距 {gap}（下界 {bound}）"},
    "t_all_hold": {"en": "all rules hold", "zh": "所有规则均满足"},
    "t_n_violations": {"en": "{n} violation(s)", "zh": "{n} 项违规"},
    "t_n_warnings": {"en": ", {n} warning(s)", "zh": "，{n} 项提示"},
    "t_n_notices": {"en": ", {n} notice(s) (never a failure)",
                    "zh": "，{n} 条信息（不计为不通过）"},
    "t_strict_failing": {"en": " (--strict: failing)", "zh": "（--strict：判为不通过）"},
    "t_no_plan_head": {"en": "{name}: no plan can meet the rules. Why:",
                       "zh": "{name}：没有方案能满足全部规则。原因："},
    "t_no_plan_found_head": {"en": "{name}: no plan found in the time limit. Why:",
                             "zh": "{name}：限时内未找到方案。原因："},
    "t_per_bureau_check_last": {"en": "Plan: per bureau, at its last step, {date} (of {n} steps)",
                                "zh": "调整方案：各单位情况，最后一步 {date}（共 {n} 步）"},
    # --- check --format markdown (a merge-request comment)
    "md_title_roster": {"en": "{n} violation(s), {w} warning(s){notes} — roster of *{name}*",
                        "zh": "{n} 项违规，{w} 项提示{notes} — *{name}* 的花名册"},
    "md_title_plan": {"en": "{n} violation(s), {w} warning(s){notes} — plan of *{name}*",
                      "zh": "{n} 项违规，{w} 项提示{notes} — *{name}* 的调整方案"},
    "md_period": {"en": ".", "zh": "。"},
    "md_notes": {"en": ", {n} notice(s)", "zh": "，{n} 条信息"},
    "md_notices": {"en": "Notices (never a failure) ({n})", "zh": "信息，不计为不通过（{n} 条）"},
    "md_more": {"en": "… and {n} more ({rules})", "zh": "……另有 {n} 项（{rules}）"},
    "md_unplaced": {"en": "{n} recruit(s) not yet placed.", "zh": "{n} 名新招录民警尚未分配。"},
    "md_bureaus_last": {"en": "Per bureau, at the plan's last step, {date} (of {n} steps):",
                        "zh": "各单位情况，方案最后一步 {date}（共 {n} 步）："},
    # --- staffplan config
    "cfg_effective": {"en": "effective scenario; files: {files}", "zh": "生效的方案；文件：{files}"},
    "cfg_override": {"en": "override {override}", "zh": "覆盖 {override}"},
    "cfg_default": {"en": "default", "zh": "默认值"},
    "t_wrote": {"en": "wrote {files}", "zh": "已写入 {files}"},
    "t_input_problems": {"en": "the input has {n} problem(s):", "zh": "输入有 {n} 处问题："},
    "more_problems": {"en": "… and {n} more problem(s), not shown: {where}",
                      "zh": "……另有 {n} 处问题未列出：{where}"},
    "problems_at": {"en": "{n} in {file}", "zh": "{file} {n} 处"},
    "t_error": {"en": "error:", "zh": "错误："},
    # --- progress lines and stops (stderr)
    "g_reading": {"en": "reading {path}", "zh": "读取 {path}"},
    "g_override": {"en": "override {override}", "zh": "覆盖 {override}"},
    "g_planning": {"en": "planning {name}: {officers} officers, {units} units",
                   "zh": "编制方案 {name}：{officers} 名民警，{units} 个单位"},
    "g_building": {"en": "building the model", "zh": "建立模型"},
    "g_solving": {"en": "solving for the fewest moves: {variables} variables, {constraints} "
                        "constraints ({solver})",
                  "zh": "求解最少调动：{variables} 个变量，{constraints} 个约束（{solver}）"},
    "g_incumbent": {"en": "solving: best plan {best}, bound {bound} "
                          "({seconds:.1f} s in the solver)",
                    "zh": "求解中：当前最好方案 {best}，下界 {bound}"
                          "（求解器用时 {seconds:.1f} 秒）"},
    "g_no_bound": {"en": "none yet", "zh": "暂无"},
    "g_relaxing": {"en": "no plan meets the rules: relaxing them to find out why",
                   "zh": "没有方案能满足全部规则：逐一放宽规则以查明原因"},
    "g_fewest": {"en": "{moves} moves ({status}); choosing among plans with that many moves",
                 "zh": "最少调动 {moves} 人（{status}）；在调动人数相同的方案中择优"},
    "g_choosing": {"en": "choosing the officers and checking the plan",
                   "zh": "确定调动民警并复核方案"},
    "g_writing": {"en": "writing {out}", "zh": "写入 {out}"},
    "g_grid": {"en": "solving {n} grid points", "zh": "求解 {n} 个参数组合"},
    "g_stopped": {"en": "stopped (SIGTERM); nothing more will be written",
                  "zh": "已停止（SIGTERM）；不再写入任何文件"},
    "g_stdout": {"en": "cannot write to standard output: {error}",
                 "zh": "无法写入标准输出：{error}"},
    "g_interrupted": {"en": "interrupted; nothing more was written",
                      "zh": "已中断；未再写入任何文件"},
    "g_internal": {"en": "internal error ({error}); this is a bug in staffplan. Run with "
                         "STAFFPLAN_DEBUG=1 for details.",
                   "zh": "内部错误（{error}）；这是 staffplan 的缺陷。设置 STAFFPLAN_DEBUG=1 "
                         "运行可查看详情。"},
    "k_borrowed_returned": {"en": "borrowed officers returned", "zh": "借调人员归建"},
    "k_no_unit": {"en": "no unit", "zh": "无单位"},
    "k_placed": {"en": "recruits → {kind}", "zh": "新招录民警 → {kind}"},
    "kind_county": {"en": "county", "zh": "县局"},
    "kind_district": {"en": "district", "zh": "分局"},
    "kind_hq": {"en": "headquarters unit", "zh": "机关"},
    "kind_station": {"en": "station", "zh": "派出所"},
    "kind_post": {"en": "post", "zh": "警务室"},
    # --- the Excel workbook and the HTML report
    "s_summary": {"en": "Summary", "zh": "汇总"},
    "s_moves": {"en": "Moves", "zh": "调动名单"},
    "s_approvals": {"en": "Approvals", "zh": "审批"},
    "s_roster": {"en": "Final roster", "zh": "调整后花名册"},
    "s_roster_steps": {"en": "Roster by step", "zh": "各步花名册"},
    "s_rules": {"en": "Rules", "zh": "规则"},
    "h_station_met": {"en": "station share met", "zh": "派出所警力达标"},
    "h_community_met": {"en": "community share met", "zh": "社区民警达标"},
    "h_posts": {"en": "posts", "zh": "警务室数"},
    "h_moved": {"en": "moved", "zh": "是否调动"},
    "h_key": {"en": "key", "zh": "配置项"},
    "h_override": {"en": "override", "zh": "覆盖"},
    "h_label": {"en": "label", "zh": "说明"},
    "rep_title": {"en": "Staffing plan: {name}", "zh": "警力调整方案：{name}"},
    "rep_sub": {"en": "Plan date {date}. {moves} move(s), {proof}. {approvals} transfer(s) need the "
                      "city committee's approval.",
                "zh": "基准日 {date}。调动 {moves} 人，{proof}。{approvals} 项调动需经市局派出所工作委员会批准。"},
    "rep_station_chart": {"en": "Station strength / force, before and after, against the target",
                          "zh": "派出所警力占总警力比例：调整前后与目标"},
    "rep_community_chart": {"en": "Community officers / station strength, before and after, against the target",
                            "zh": "社区民警占派出所警力比例：调整前后与目标"},
    "rep_flow": {"en": "Flow of officers", "zh": "警力流向"},
    "rep_moves": {"en": "Moves and recruits placed", "zh": "调动与新招录民警分配"},
    "rep_search": {"en": "Search moves (id, unit, reason) …", "zh": "搜索（编号、单位、原因）…"},
    "rep_approvals": {"en": "Transfers that need the city committee's approval",
                      "zh": "需经市局派出所工作委员会批准的调动"},
    "rep_scenario": {"en": "Scenario: files and overrides", "zh": "方案：文件与覆盖项"},
    "rep_none": {"en": "None.", "zh": "无。"},
    "rep_target": {"en": "target", "zh": "目标"},
    "rep_recruits": {"en": "recruits", "zh": "新招录民警"},
    "rep_infeasible": {"en": "No plan can meet the rules", "zh": "没有方案能满足全部规则"},
    "rep_chart_note": {"en": "{meeting} of {n} bureaus meet the target. Sorted by the gap to "
                             "it: those short of it, or closest, first.",
                       "zh": "{n} 个公安局中 {meeting} 个达标。按与目标的差距排序："
                             "未达标或最接近目标的在前。"},
    "rep_chart_no_target": {"en": "No target: the rule is off.", "zh": "无目标：该规则未启用。"},
    "rep_chart_short": {"en": "{n} short of it.", "zh": "{n} 个未达标。"},
    "rep_chart_scroll": {"en": "Scroll for all {n}.", "zh": "滚动查看全部 {n} 个。"},
    "rep_after_met": {"en": "after, met", "zh": "调整后，达标"},
    "rep_after_not_met": {"en": "after, not met", "zh": "调整后，未达标"},
    "rep_flow_note": {"en": "Officers between kinds of unit; a line's width follows their number.",
                      "zh": "各类单位之间的警力流向；线条粗细与人数成比例。"},
    "rep_flow_moves": {"en": "moves", "zh": "调动"},
    "rep_flow_placed": {"en": "recruits placed (no moves)", "zh": "新招录民警分配（不计为调动）"},
    "rep_flow_within": {"en": "moves within one kind of unit", "zh": "同类单位之间的调动"},
    "rep_placed_head": {"en": "recruits placed (no moves)", "zh": "新招录民警分配（不计为调动）"},
    "rep_bureaus": {"en": "Per bureau", "zh": "各单位情况"},
    "rep_bureaus_note": {"en": "under each figure, in grey: before the plan",
                         "zh": "每项数字下方灰色为调整前"},
    "rep_tile_moves": {"en": "moves", "zh": "调动人数"},
    "rep_tile_station": {"en": "station share met", "zh": "派出所警力占比达标"},
    "rep_tile_community": {"en": "community share met", "zh": "社区民警占比达标"},
    "rep_was": {"en": "before: {value}", "zh": "调整前：{value}"},
    "rep_per_officer": {"en": "{per} per community officer", "zh": "每名社区民警 {per} 元"},
    "rep_tile_approvals": {"en": "transfers needing approval", "zh": "需市局批准的调动"},
    "rep_tile_approvals_note": {"en": "{missing} without it", "zh": "其中 {missing} 项未批准"},
    # --- compare
    "c_title": {"en": "Scenarios compared", "zh": "方案比较"},
    "c_title_part": {"en": "Scenarios compared ({first}–{last} of {n})",
                     "zh": "方案比较（第 {first}–{last} 个，共 {n} 个）"},
    "c_title_more": {"en": "Scenarios compared, continued ({first}–{last} of {n})",
                     "zh": "方案比较（续，第 {first}–{last} 个，共 {n} 个）"},
    "c_why_below": {"en": "{n} reason(s), below", "zh": "{n} 条原因，见下文"},
    "c_why_title": {"en": "Why no plan: {name}", "zh": "无方案的原因：{name}"},
    "c_not_compared": {"en": "not compared: {n} key(s) under {sections} differ; compare plans, "
                             "it does not run promote",
                       "zh": "未比较：{sections} 下有 {n} 个配置项不同；compare 比较的是调整方案，"
                             "不进行晋升规划"},
    "c_caption": {"en": "moves: existing officers whose unit changes (placing a recruit is no "
                        "move); every figure after the plan; config: the keys whose values differ",
                  "zh": "调动：单位变化的现有民警（新招录民警分配不计为调动）；各项数字均为调整后；"
                        "配置：取值不同的配置项"},
    "c_moves": {"en": "moves", "zh": "调动人数"},
    "c_gap": {"en": "gap to the proven minimum", "zh": "与已证明下界的差距"},
    "c_at_posts": {"en": "community officers", "zh": "社区民警人数"},
    "c_bureau_figure": {"en": "{bureau}: {figure}", "zh": "{bureau}：{figure}"},
    "c_config": {"en": "config: {name}", "zh": "配置：{name}"},
    "c_config_head": {"en": "config keys that differ:", "zh": "取值不同的配置项："},
    "c_why": {"en": "why no plan", "zh": "无方案的原因"},
    "c_optimal": {"en": "optimal", "zh": "最优（已证明）"},
    "c_feasible": {"en": "feasible, not proven minimal", "zh": "可行（未证明最少）"},
    "c_infeasible": {"en": "impossible", "zh": "无可行方案"},
    "c_no_solution": {"en": "no plan found in the time limit", "zh": "限时内未找到方案"},
    # --- sweep
    "sw_title": {"en": "{name}: moves needed by {keys}", "zh": "{name}：{keys} 与所需调动人数"},
    "sw_and": {"en": " and ", "zh": "、"},
    "sw_sub": {"en": "{n} grid points in {seconds} s: {feasible} with a plan (the fewest moves, "
                     "proven), {impossible} impossible.",
               "zh": "共 {n} 个参数组合，用时 {seconds} 秒：{feasible} 个有方案"
                     "（已证明的最少调动），"
                     "{impossible} 个无可行方案。"},
    "sw_table_title": {"en": "Sweep: {n} points in {seconds} s ({how}, {workers} worker(s))",
                       "zh": "参数扫描：{n} 个组合，用时 {seconds} 秒（{how}，{workers} 个进程）"},
    "sw_fast": {"en": "one model re-solved", "zh": "同一模型反复求解"},
    "sw_rebuilt": {"en": "rebuilt per point", "zh": "逐点重建模型"},
    "sw_grid_caption": {"en": "moves needed at each {x} (across) and {y} (down); × no plan can "
                              "meet the rules",
                        "zh": "各 {x}（横向）与 {y}（纵向）组合所需调动人数；× 表示无可行方案"},
    "sw_why": {"en": "why impossible", "zh": "无方案原因"},
    "sw_why_title": {"en": "Why no plan exists where a target becomes impossible (further on, the "
                           "same rules fall further short)",
                     "zh": "目标刚变为不可行处的原因（再往后，相同规则差距更大）"},
    "sw_where": {"en": "points", "zh": "组合"},
    "sw_short": {"en": "{rule}: {n} {what} short by {short} officer(s) at least ({subjects})",
                 "zh": "{rule}：{n} 个{what}至少共差 {short} 人（{subjects}）"},
    "sw_about_bureau": {"en": "bureau(s)", "zh": "单位"},
    "sw_about_unit": {"en": "unit(s)", "zh": "单位"},
    "sw_about_officer": {"en": "officer(s)", "zh": "民警"},
    "sw_others": {"en": "the other rules cannot all hold here ({rules})",
                  "zh": "其他规则在此无法同时满足（{rules}）"},
    "sw_no_plan": {"en": "no plan can meet the rules", "zh": "没有方案能满足全部规则"},
    "sw_as_at": {"en": "as at {where}, and further short", "zh": "同 {where}，差距更大"},
    "sw_chart_title": {"en": "Moves needed by {keys}", "zh": "{keys} 与所需调动人数"},
    "sw_chart_head": {"en": "Moves needed", "zh": "所需调动人数"},
    "sw_grid_head": {"en": "Every grid point", "zh": "全部参数组合"},
    "sw_moves_label": {"en": "moves needed (proven minimum)", "zh": "所需调动人数（已证明最少）"},
    "sw_impossible_label": {"en": "impossible (no plan meets the rules)",
                            "zh": "无可行方案"},
    "sw_colour_label": {"en": "moves (× impossible)", "zh": "调动人数（× 无可行方案）"},
    # --- explain
    "e_officer": {"en": "Officer {officer}", "zh": "民警 {officer}"},
    "e_moves": {"en": "moves from {src} to {dst}", "zh": "从 {src} 调到 {dst}"},
    "e_stays": {"en": "stays at {unit}", "zh": "留在 {unit}"},
    "e_placed": {"en": "recruit placed at {dst}", "zh": "新招录民警分配到 {dst}"},
    "e_why": {"en": "why: {reason}", "zh": "原因：{reason}"},
    "e_holds": {"en": "held by: {rules}", "zh": "受以下规则约束：{rules}"},
    "e_free": {"en": "no rule holds this officer: the plan may move them if a target needs it",
               "zh": "没有规则约束该民警：如目标需要，方案可以调动"},
    "e_choice": {"en": "{n} of {total} free officer(s) at {unit} move; this officer's place in the "
                       "order: {rank} ({order})",
                 "zh": "{unit} 的 {total} 名可调动民警中调出 {n} 名；该民警在调出顺序中排第 {rank}（{order}）"},
    "e_order_hq": {"en": "longest-serving first, by hire date", "zh": "按入职时间，任职最久者优先"},
    "e_order_post": {"en": "completed tenure first, then longest community tenure",
                     "zh": "已满年限者优先，其次社区工作时间最长者"},
    "e_unit": {"en": "Unit {unit} ({kind}, bureau {bureau})", "zh": "单位 {unit}（{kind}，{bureau}）"},
    "e_unit_counts": {"en": "officers: {before} before, {after} after ({out} leave, {in_} arrive, "
                            "{recruits} recruit(s))",
                      "zh": "人数：调整前 {before}，调整后 {after}（调出 {out}，调入 {in_}，新招录 {recruits}）"},
    "e_binds": {"en": "rules that bind here: {rules}", "zh": "在此起约束作用的规则：{rules}"},
    "e_none_bind": {"en": "no rule is at its limit here", "zh": "此处没有规则处于临界"},
    "e_unknown_officer": {"en": "no officer {id!r} in the roster", "zh": "花名册中没有民警 {id!r}"},
    "e_unknown_unit": {"en": "no unit {id!r} in the tree", "zh": "组织树中没有单位 {id!r}"},
    "e_both": {"en": "give an OFFICER_ID or --unit UNIT, not both",
               "zh": "请只给出民警编号 OFFICER_ID 或 --unit UNIT 之一，不要同时给出"},
    "e_neither": {"en": "give an OFFICER_ID or --unit UNIT (a unit or a bureau)",
                  "zh": "请给出民警编号 OFFICER_ID 或 --unit UNIT（单位或公安局）"},
    "e_approved": {"en": "approval: community tenure {tenure} of {years} years, and the city "
                         "committee approved an early move (move_approved in the roster), so the "
                         "tenure rule does not hold this officer",
                   "zh": "审批：社区工作 {tenure}（要求 {years} 年），市局派出所工作委员会已批准"
                         "提前调动（花名册 move_approved），年限规则不约束该民警"},
    "e_approved_listed": {"en": "; this transfer is listed in approvals.csv",
                          "zh": "；该调动列入 approvals.csv"},
    "e_bounds": {"en": "{rule} (min {min}, max {max})", "zh": "{rule}（下限 {min}，上限 {max}）"},
    "e_bureau": {"en": "Bureau {bureau} ({kind})", "zh": "公安局 {bureau}（{kind}）"},
    "e_bureau_force": {"en": "force: {before} → {after}", "zh": "总警力：{before} → {after}"},
    "e_share": {"en": "{rule}: {before} → {after}, target {target}{state}",
                "zh": "{rule}：{before} → {after}，目标 {target}{state}"},
    "e_met": {"en": ", met", "zh": "，达标"},
    "e_not_met": {"en": ", not met", "zh": "，未达标"},
    "e_bureau_posts": {"en": "posts staffed: {before} → {after}",
                       "zh": "警务室配备：{before} → {after}"},
    "e_bureau_funds": {"en": "community funds: {before} → {after} yuan a year",
                       "zh": "社区民警经费：每年 {before} → {after} 元"},
    "e_bureau_moves": {"en": "moves: {n} ({kinds})", "zh": "调动：{n} 人（{kinds}）"},
    "e_bureau_placed": {"en": "recruits placed: {n} ({kinds})",
                        "zh": "新招录民警分配：{n} 人（{kinds}）"},
    "e_at_limit_station": {"en": "{rule} at its target: one officer fewer at stations and posts "
                                 "would break it",
                           "zh": "{rule}已在目标线上：派出所及警务室少一人即不达标"},
    "e_at_limit_community": {"en": "{rule} at its target: one officer fewer at posts would "
                                   "break it",
                             "zh": "{rule}已在目标线上：警务室少一人即不达标"},
}


def set_lang(lang: str | None) -> str:
    """Set the language for what follows; None picks it from the environment."""
    _current[0] = lang if lang in LANGS else env_lang()
    return _current[0]


def get_lang() -> str:
    return _current[0]


def env_lang() -> str:
    explicit = os.environ.get("STAFFPLAN_LANG", "")
    if explicit in LANGS:
        return explicit
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def t(key: str, **values) -> str:
    """The message ``key`` in the current language, with ``values`` filled in."""
    return template(key).format(**values)


def template(key: str) -> str:
    """The message ``key`` in the current language, its placeholders unfilled (for the
    terminal, which fills them as plain text: ``staffplan.report.screen.message``)."""
    texts = MESSAGES.get(key)
    if texts is None:
        import staffplan.rules  # noqa: F401  (registers the rules' own messages)

        texts = MESSAGES[key]
    return texts[_current[0]]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def kind_name(kind: str) -> str:
    return t(f"kind_{kind}")


def area_name(area: str | None) -> str:
    """A station's area in the current language (urban: 城区, rural: 农村)."""
    return t(f"area_{area}") if area in ("urban", "rural") else "-"


def rule_label(rule) -> str:
    """A rule's label in the current language (rules.Rule has both)."""
    return rule.zh if _current[0] == "zh" else rule.label
