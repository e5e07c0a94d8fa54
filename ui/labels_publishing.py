"""The labels of releases and submissions (the source picker, banners, the release calendar, the review page):
key -> (English, Chinese), merged into :data:`ui.labels.LABELS`."""

from __future__ import annotations

PUBLISHING: dict[str, tuple[str, str]] = {
    "bulletin_pdf": ("Bulletin (PDF)", "统计公报（PDF）"), "bulletin_docx": ("Bulletin (Word)", "统计公报（Word）"),
    "nav_section_publishing": ("Releases", "数据发布"),
    "nav_releases": ("Release calendar", "发布日程"),
    "nav_review": ("Submissions", "数据报送审核"),
    # -- which figures a page shows
    "source_picker": ("Figures of", "数据版本"),
    "source_official": ("Official build (internal, not a release)", "正式库（内部，未发布）"),
    "source_working": ("Working build (internal, submissions under review)", "工作库（内部，含待审报送）"),
    "source_official_banner": (
        "Internal, not for publication: the official build (accepted data), not yet a release. Confidential cells "
        "are shown here unprotected; releases hold the protected tables. Readers outside the bureau see releases "
        "only.",
        "内部资料，不得公开：正式库（已审核数据），尚未发布。此处显示未经保密处理的全部数据；发布版本为保密处理后的表。"
        "局外读者只能看到已发布的版本。"),
    "source_working_banner": (
        "Internal, not for publication: the working build includes submissions still under review and confidential "
        "cells unprotected. Not official figures.",
        "内部资料，不得公开：工作库包含尚在审核中的报送数据及未经保密处理的数据，并非正式数据。"),
    "disclosure_footnote": (
        "{symbol}: withheld to protect respondents' confidentiality (Statistics Law): a cell with fewer than {n} "
        "firms or dominated by one or two ({dominance}), and the cells and figures (LQ, growth, shift-share) that "
        "would give one back. This release withholds {cells} cells.",
        "{symbol}：依《统计法》为保护调查对象的商业秘密而不予公布：企业数少于{n}家或由一两家企业主导（{dominance}）的"
        "单元格，以及可据以推算出这些单元格的其他单元格和派生指标（区位商、增长率、偏离份额）。本次发布共隐去{cells}个单元格。"),
    "disclosure_report": ("Disclosure report of release {number}", "第{number}号发布的保密审查报告"),
    "disclosure_none": ("Made before disclosure control: its tables are not protected.",
                        "该发布早于保密处理功能，其表格未经保密处理。"),
    "disclosure_assessed": ("Firms known from", "企业信息来源"),
    "assessed_firms": ("firm records: every rule", "企业名录：全部规则"),
    "assessed_counts": ("establishment counts: frequency rule only", "单位数：仅频数规则"),
    "assessed_none": ("none: not assessed", "无：未评估"),
    "disclosure_method": ("Secondary cells by", "次级隐藏方法"),
    "method_gauss": ("Gaussian elimination", "高斯消元"), "method_certificates": ("certificates", "扰动证书"),
    "method_none": ("–", "–"),
    "disclosure_cells": ("Cells", "单元格"), "disclosure_suppressed": ("Suppressed", "隐去合计"),
    "rule_frequency": ("Fewer firms", "企业过少"), "rule_dominance": ("Dominance", "支配规则"),
    "rule_p_percent": ("p%", "p%规则"), "rule_flagged": ("Flagged by uploader", "报送方标注保密"),
    "rule_secondary": ("Secondary", "次级隐去"),
    "disclosure_withheld": ("Rows with a withheld figure, per table: {tables}", "各表含隐去数字的行数：{tables}"),
    "disclosure_leaning": ("Confidential cells whose protection moves a one-firm cell (held against everyone but "
                           "that firm: no other certificate exists): {n}",
                           "保护时须变动单一企业单元格的保密单元格（除该企业外对任何人有效：别无其他可行方案）：{n}"),
    "disclosure_scores_withheld": ("Composite scores and ranks are withheld in this release (methodology: "
                                   "[disclosure] scores = \"withheld\").",
                                   "本次发布不公布综合得分与排名（方法设置：[disclosure] scores = \"withheld\"）。"),
    "scores_withheld": ("Composite scores and ranks are withheld in this release (its methodology says so); the "
                        "clusters' own figures are shown.",
                        "本次发布按其方法设置不公布综合得分与排名；仅显示各集群自身的数据。"),
    "disclosure_needs_ack": (
        "Release {number} publishes tables whose disclosure could not be fully assessed: {tables}. An administrator "
        "acknowledges this, with the reason, before the release can be approved.",
        "第{number}号发布包含未能完整进行保密审查的表格：{tables}。须由管理员说明理由并确认后方可审批。"),
    "disclosure_ack_note": ("Reason for publishing them", "发布理由"),
    "disclosure_ack": ("Acknowledge", "确认"),
    "disclosure_acked": ("Release {number}: acknowledged; it can be approved now.",
                         "第{number}号发布已确认，可以审批。"),
    "disclosure_unassessed": (
        "Not fully assessed for disclosure: {tables}. Acknowledged by {who}: {note}",
        "以下表格的保密审查不完整：{tables}。已由{who}确认发布：{note}"),
    "release_label": ("Release {number} · {title} · {state}", "第{number}号发布 · {title} · {state}"),
    "release_state_published": ("published {at}", "{at}发布"),
    "release_state_embargoed": ("embargoed until {at}", "禁发至{at}"),
    "release_state_draft": ("draft", "草稿"),
    "release_banner": ("Release {number}: {title} (reference year {year}), {at}.",
                       "第{number}号发布：{title}（统计年度{year}），{at}。"),
    "release_embargo_banner": ("Embargoed until {at}: staff only, not public before then.",
                               "禁发至{at}：仅供内部人员查看，届时方可公开。"),
    "release_draft_banner": ("Draft: not yet approved; staff only.", "草稿：尚未审批，仅供内部人员查看。"),
    "release_revises": ("Revises release {number}: {note}", "本发布修订第{number}号发布：{note}"),
    "release_newer": ("A newer revision exists: release {number} ({note}). The figures here are superseded.",
                      "已有更新的修订版：第{number}号发布（{note}）。本页数字已被取代。"),
    "prov_release": ("Release", "发布版本"),
    "no_release_yet": ("No release has been published yet. The release calendar shows when the next one is due.",
                       "尚无已发布的数据。下一次发布时间见“发布日程”。"),
    "release_file_missing": (
        "The file of this release ({file}) is missing or damaged; an administrator restores it with `clusterstats "
        "release rebuild N --restore`.",
        "本发布的数据文件（{file}）缺失或损坏；请管理员运行 `clusterstats release rebuild 编号 --restore` 恢复。"),
    # -- release calendar
    "releases_caption": (
        "Numbered releases of the official figures: approved by a second person, published at the announced time, "
        "never changed afterwards; a correction is a new release that names what it revises.",
        "正式数据按编号发布：经第二人审批，于公告时间发布，发布后不再改动；更正以新的发布进行，并注明所修订的版本。"),
    "releases_upcoming": ("Upcoming", "即将发布"),
    "releases_past": ("Published", "已发布"),
    "releases_none_upcoming": ("No release is scheduled.", "暂无发布安排。"),
    "releases_none_past": ("Nothing published yet.", "尚无已发布的数据。"),
    "releases_manage": ("Create and approve", "创建与审批"),
    "col_release": ("Release", "发布编号"),
    "col_title": ("Title", "标题"),
    "col_reference_year": ("Reference year", "统计年度"),
    "col_published_at": ("Published", "发布时间"),
    "col_embargo": ("Embargo ends", "禁发截止"),
    "col_state": ("State", "状态"),
    "col_revises": ("Revises", "修订版本"),
    "col_note": ("Revision note", "修订说明"),
    "release_status_draft": ("draft", "草稿"),
    "release_status_approved": ("approved, embargoed", "已审批，禁发中"),
    "release_status_published": ("published", "已发布"),
    "release_line": ("**Release {number}** · {title}", "**第{number}号发布** · {title}"),
    "release_open": ("Open", "查看"),
    "release_changes": ("Release {number} revises {revises}: {n} figures moved in {tables} tables",
                        "第{number}号发布修订第{revises}号：{tables}张表中{n}个数字有变动"),
    "release_figures_csv": ("Every changed figure (CSV)", "全部变动数字（CSV）"),
    "col_table": ("Table", "数据表"),
    "col_key": ("Row", "行"),
    "col_column": ("Figure", "指标"),
    "col_old": ("Before", "修订前"),
    "col_new": ("After", "修订后"),
    "release_create": ("Create a release from the official build", "以正式库创建发布"),
    "release_create_help": (
        "Freezes the official build as it is now (read-only); another reviewer or administrator approves it, and "
        "it is published automatically when the embargo ends.",
        "将当前正式库冻结为只读版本；由另一位审核员或管理员审批，禁发期满后自动发布。"),
    "release_title_field": ("Title", "标题"),
    "release_day": ("Publish on", "发布日期"),
    "release_time": ("At", "发布时刻"),
    "release_note_field": ("Revision note (what is corrected and why)", "修订说明（更正内容及原因）"),
    "release_creating": ("Freezing the official build…", "正在冻结正式库…"),
    "release_created": ("Release {number} created as a draft; another reviewer or administrator approves it.",
                        "第{number}号发布已创建为草稿，待另一位审核员或管理员审批。"),
    "release_draft_line": ("**Release {number}** · {title} · created by {who} · to publish {at}",
                           "**第{number}号发布** · {title} · 创建人 {who} · 拟于{at}发布"),
    "release_approve": ("Approve", "审批通过"),
    "release_approved": ("Release {number} approved; it is published at {at}.",
                         "第{number}号发布已审批，将于{at}发布。"),
    # -- accounts
    "nav_accounts": ("Accounts", "账户管理"),
    "accounts_caption": (
        "Who may do what: viewer (reads published releases), submitter (a city: submits its regions' rows), uploader, "
        "reviewer (accepts submissions, approves releases), admin. Every change is in the audit log.",
        "权限：查看者（阅读已发布数据）、报送员（地市：报送本地区数据）、上传员、审核员（审核报送、审批发布）、管理员。"
        "每项变更均记入审计日志。"),
    "accounts_admin_only": ("Only administrators manage accounts.", "仅管理员可管理账户。"),
    "account_regions": ("Regions (codes, comma-separated)", "地区（代码，逗号分隔）"),
    "account_regions_help": ("A submitter's city (and every region under it); empty: every region.",
                             "报送员所属地市（含其下属地区）；留空表示全部地区。"),
    "all_regions": ("every region", "全部地区"),
    "account_disabled": ("Disabled", "已停用"),
    "account_add": ("Add an account", "新增账户"),
    "account_added": ("Account {name} ({role}) added.", "已新增账户 {name}（{role}）。"),
    "account_change": ("Change role or regions", "修改角色或地区"),
    "account_changed": ("Account {name} changed.", "账户 {name} 已修改。"),
    # -- methodology under four eyes
    "methodology_name": ("Name of this version", "版本名称"),
    "propose_version": ("Propose this version", "提交此版本待审批"),
    "proposed_version": ("Version {hash} ({name}) proposed: another administrator approves it before it applies.",
                         "版本{hash}（{name}）已提交，须经另一位管理员审批后生效。"),
    "proposals_title": ("Proposed versions waiting for a second administrator ({n})",
                        "待另一位管理员审批的方法版本（{n}）"),
    "proposal_line": ("Proposal {id}: {name} · by {who} · {hash}", "提案{id}：{name} · 提出人 {who} · {hash}"),
    "proposal_no_diff": ("(no difference in the text)", "（文本无差异）"),
    "proposal_approve": ("Approve: apply to official builds", "审批通过：用于正式计算"),
    "proposal_reject": ("Reject", "驳回"),
    "proposal_approved": ("Proposal {id} approved: version {hash} applies from the next official build (queued).",
                          "提案{id}已通过：版本{hash}自下次正式计算起生效（已排队）。"),
    "proposal_rejected": ("Proposal {id} rejected.", "提案{id}已驳回。"),
    "version_named": ("{name} (proposed by {by}, approved by {approved})", "{name}（{by}提出，{approved}审批）"),
    # -- submissions
    "review_caption": (
        "A city's upload is a submission: it enters the official figures once a provincial reviewer accepts it; a "
        "returned one never does, and its comment says what to fix.",
        "地市上报的数据为报送：经省级审核员接收后方进入正式数据；被退回的报送不会进入，退回意见说明需要更正之处。"),
    "review_mine": ("My submissions", "我的报送"),
    "review_none_mine": ("No submissions yet.", "尚无报送。"),
    "review_pending": ("Waiting for review ({n})", "待审核（{n}）"),
    "review_none_pending": ("Nothing waits for review.", "没有待审核的报送。"),
    "review_item": ("**{file}** · {kind} · {rows} rows · submitted by {who} · `{id}`",
                    "**{file}** · {kind} · {rows} 行 · 报送人 {who} · `{id}`"),
    "review_preview": ("Preview the change", "预览影响"),
    "review_previewing": ("Building the official figures with this submission…", "正在以本报送试算正式数据…"),
    "review_preview_result": ("What accepting it would change", "接收后的变化"),
    "review_comment": ("Comment (the submitter reads it; required to return)", "审核意见（报送人可见；退回时必填）"),
    "review_accept": ("Accept", "接收"),
    "review_return": ("Return", "退回"),
    "review_accepted": ("{file} accepted; the official build is queued (job {job}).",
                        "已接收{file}；正式库重算任务已排队（任务{job}）。"),
    "review_returned": ("{file} returned to {who} with your comment.", "已将{file}连同审核意见退回给{who}。"),
    "review_decided": ("Decided ({n})", "已处理（{n}）"),
    "review_build_working": ("Build the working version", "生成工作库"),
    "review_build_working_help": ("Every accepted upload and every one still under review, for staff to look at.",
                                  "包含全部已接收和待审核的数据，供内部查看。"),
    "review_building_working": ("Building the working version…", "正在生成工作库…"),
    "review_working_built": ("Working build {build} ready ({uploads} uploads); pick it under “Figures of”.",
                             "工作库{build}已生成（{uploads}个上传）；可在“数据版本”中选择。"),
    "col_file": ("File", "文件"),
    "col_kind": ("Kind", "类型"),
    "col_vintage": ("Vintage", "版次"),
    "col_submitted_by": ("Submitted by", "报送人"),
    "col_submitted_at": ("Submitted", "报送时间"),
    "col_reviewed_by": ("Reviewer", "审核人"),
    "col_comment": ("Comment", "审核意见"),
    "state_submitted": ("waiting for review", "待审核"),
    "state_accepted": ("accepted", "已接收"),
    "state_returned": ("returned", "已退回"),
    "upload_submitted": (
        "{file} ({rows} rows) submitted for review as {id}: it enters the official figures once a provincial "
        "reviewer accepts it.",
        "{file}（{rows}行）已报送，编号{id}；经省级审核员接收后进入正式数据。"),
}
