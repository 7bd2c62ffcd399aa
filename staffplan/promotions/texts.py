"""Messages of the promotion round's tables, files and explanations, in both languages
(registered with ``staffplan.i18n`` by ``staffplan.rules``; each rule keeps its own)."""

MESSAGES = {
    # --- input
    "pm_no_section": {"en": "the scenario has no promotions: section",
                      "zh": "方案文件中没有 promotions: 部分"},
    "pm_not_bureau": {"en": "{value!r} is not a bureau", "zh": "{value!r} 不是公安局"},
    "pm_unknown_officer": {"en": "unknown officer {value!r}", "zh": "未知民警 {value!r}"},
    "pm_bad_role": {"en": "{value!r} is not a role; use officer, deputy, chief or leader",
                    "zh": "{value!r} 不是有效职务；可用 officer（民警）、deputy（副所长、教导员）、"
                          "chief（所长）、leader（局领导）"},
    "pm_end_before_start": {"en": "end {end} is before start {start}",
                            "zh": "终止日期 {end} 早于起始日期 {start}"},
    "pm_empty": {"en": "empty value", "zh": "值为空"},
    "pm_chief_not_station": {"en": "a {role} posting must be at a station, but {unit!r} is a {kind}",
                             "zh": "{role}任职单位应为派出所，但 {unit!r} 是{kind}"},
    "pm_chief_overlap": {"en": "officer {officer}: chief at {unit} from {start} overlaps chief at "
                               "{other} (row {row}, until {until})",
                         "zh": "民警 {officer}：自 {start} 任 {unit} 所长，与第 {row} 行任 {other} "
                               "所长（至 {until}）时间重叠"},
    "pm_bad_track": {"en": "{value!r} is not a track; use rank, station_leader or bureau_leader",
                     "zh": "{value!r} 不是有效类别；可用 rank（职级晋升）、station_leader（提任派出所"
                           "领导）、bureau_leader（提任县级公安机关领导）"},
    "pm_bad_rank": {"en": "rank {value!r} is not on the ladder (promotions.ladder)",
                    "zh": "职级 {value!r} 不在职级序列（promotions.ladder）中"},
    "pm_needs_rank_since": {"en": "a rank needs rank_since, the day it was reached",
                            "zh": "填写职级时需填写任现职级日期（rank_since）"},
    "pm_bad_score": {"en": "{value!r} is not a score (a number ≥ 0, at most 3 decimals)",
                     "zh": "{value!r} 不是有效考核分数（不小于 0 的数，最多 3 位小数）"},
    # --- impossible rounds
    "px_rank": {"en": "bureau {bureau}: {n} rank promotion(s), {who} eligible (a rank below the "
                      "top, {min} years in rank){longest}",
                "zh": "{bureau}：职级晋升名额 {n} 个，符合条件（职级未到最高级、任现职级满 {min} 年）的"
                      "民警{who}{longest}"},
    "px_station": {"en": "bureau {bureau}: {n} station-leader opening(s), {who} with {min} years of "
                         "station work and not a chief or deputy now{longest}",
                   "zh": "{bureau}：派出所领导职位 {n} 个，派出所工作经历满 {min} 年且现任非所长、"
                         "副所长的民警{who}{longest}"},
    "px_bureau": {"en": "bureau {bureau}: {n} bureau-leader opening(s), {who} with {min} years as "
                        "station chief{longest}",
                  "zh": "{bureau}：局领导职位 {n} 个，派出所所长工作经历满 {min} 年的民警{who}{longest}"},
    "px_who": {"en": "only {k} officer(s)", "zh": "只有 {k} 人"},
    "px_nobody": {"en": "no officer", "zh": "一个也没有"},
    "px_longest": {"en": " (the longest has {years})", "zh": "（最长的为 {years} 年）"},
    "px_longest_other": {"en": " (the longest of the others has {years})",
                         "zh": "（其余民警中最长的为 {years} 年）"},
    "px_rate": {"en": "bureau {bureau}: the rate rule needs at least {need} of its {n} rank "
                      "promotions at stations and posts ({need}/{S} ≥ {rate} × {h}/{H}), only {k} "
                      "officer(s) there are eligible",
                "zh": "{bureau}：按晋升比例规则，{n} 个职级晋升名额中至少 {need} 个须在派出所"
                      "（{need}/{S} ≥ {rate} × {h}/{H}），但派出所符合条件的民警只有 {k} 人"},
    "px_joint": {"en": "bureau {bureau}: {what} need {n} different officers, only {k} are eligible "
                       "for any of them (one promotion or appointment per officer)",
                 "zh": "{bureau}：{what}共需 {n} 名不同的民警，符合其中任一条件的只有 {k} 人"
                       "（每名民警每轮至多一次）"},
    "px_part_rank_station": {"en": "{n} rank promotion(s) at stations and posts",
                             "zh": "派出所职级晋升 {n} 个"},
    "px_part_rank_hq": {"en": "{n} rank promotion(s) at headquarters", "zh": "机关职级晋升 {n} 个"},
    "px_part_station_leader": {"en": "{n} station-leader opening(s)", "zh": "派出所领导职位 {n} 个"},
    "px_part_bureau_leader": {"en": "{n} bureau-leader opening(s)", "zh": "局领导职位 {n} 个"},
    "px_and": {"en": " and ", "zh": "和"},
    # --- reasons
    "pr_chosen": {"en": "score {score}; before {n} other eligible officer(s) of {bureau}{best}",
                  "zh": "考核 {score}；优先于 {bureau} 其他 {n} 名符合条件的民警{best}"},
    "pr_best": {"en": " (best of them {score}{why})", "zh": "（其中最高 {score}{why}）"},
    "pr_why_rate": {"en": ", at headquarters: the rate rule", "zh": "，在机关：晋升比例规则"},
    "pr_why_community": {"en": ", without community experience", "zh": "，无社区警务工作经历"},
    "pr_why_other": {"en": ", chosen for another track", "zh": "，已列入其他类别"},
    "pr_why_tie": {"en": ", equal: longer in rank or lower id first",
                   "zh": "，相同：任现职级时间长或编号小者优先"},
    "pr_why_rules": {"en": ", the rules", "zh": "，规则所限"},
    # --- tables, files, reports
    "pt_head": {"en": "{name} — promotion date {date}: {n} promotion(s) and appointment(s), {proof}; "
                      "solver {solver}, {seconds:.2f} s",
                "zh": "{name} — 晋升基准日 {date}：晋升和提任 {n} 人，{proof}；求解器 {solver}，"
                      "{seconds:.2f} 秒"},
    "pt_proven": {"en": "proven best by the preference order", "zh": "按优先顺序已证明为最优"},
    "pt_per_bureau": {"en": "Per bureau: slots filled and promotion rates",
                      "zh": "各局情况：名额补足与晋升比例"},
    "pt_caption": {"en": "filled/slots; under each rate: rank promotions / officers (officers.csv), "
                         "stations with their posts; required: station rate ≥ {rate} × "
                         "headquarters rate",
                   "zh": "已补足/名额；比例下方为职级晋升人数/民警人数（花名册），派出所含警务室；"
                         "要求：派出所比例 ≥ {rate} × 机关比例"},
    "pt_caption_eligible": {"en": "; in brackets: officers eligible", "zh": "；括号内为符合条件人数"},
    "pt_appointments": {"en": "Appointments ({n})", "zh": "提任（{n} 人）"},
    "pt_promotions": {"en": "Rank promotions ({n})", "zh": "职级晋升（{n} 人）"},
    "pt_more": {"en": "{n} more; --all shows every row (all are in promotions.csv)",
                "zh": "另有 {n} 人；--all 显示全部（promotions.csv 中有完整名单）"},
    "pt_impossible": {"en": "No list can fill every slot and opening under the rules:",
                      "zh": "在规则范围内无法补足全部名额和职位："},
    "pt_partial": {"en": "Filled as many as the rules allow; unfilled:",
                   "zh": "已在规则允许范围内尽量补足；未补足："},
    "pt_unfilled": {"en": "bureau {bureau}: {track} {filled} of {slots}",
                    "zh": "{bureau}：{track} {filled}/{slots}"},
    "pt_list_ok": {"en": "the promotion list meets every rule", "zh": "晋升名单符合全部规则"},
    "ph_track": {"en": "track", "zh": "类别"},
    "ph_bureau": {"en": "bureau", "zh": "公安局"},
    # the per-bureau table's headers, on two lines
    "phb_rank": {"en": "rank", "zh": "职级\n晋升"},
    "phb_station_leader": {"en": "station\nleader", "zh": "派出所\n领导"},
    "phb_bureau_leader": {"en": "bureau\nleader", "zh": "局领导"},
    "phb_station_rate": {"en": "station\nrate", "zh": "派出所\n比例"},
    "phb_hq_rate": {"en": "hq\nrate", "zh": "机关\n比例"},
    "ph_rank": {"en": "rank", "zh": "职级晋升"},
    "ph_station_leader": {"en": "station leader", "zh": "派出所领导"},
    "ph_bureau_leader": {"en": "bureau leader", "zh": "局领导"},
    "ph_station_rate": {"en": "station rate", "zh": "派出所比例"},
    "ph_hq_rate": {"en": "hq rate", "zh": "机关比例"},
    "ph_required": {"en": "required", "zh": "要求"},
    "ph_met": {"en": "rate met", "zh": "比例达标"},
    "ph_from": {"en": "from", "zh": "原职级/职务"},
    "ph_to": {"en": "to", "zh": "新职级/职务"},
    "ph_candidates": {"en": "eligible", "zh": "符合条件"},
    "ph_filled": {"en": "filled", "zh": "已补足"},
    "ph_slots": {"en": "slots", "zh": "名额"},
    "ph_score": {"en": "score", "zh": "考核"},
    "ph_row": {"en": "row", "zh": "行"},
    "ps_summary": {"en": "Summary", "zh": "汇总"},
    "ps_list": {"en": "Promotions", "zh": "晋升和提任名单"},
    "ps_rules": {"en": "Rules", "zh": "规则"},
    "ps_unfilled": {"en": "Unfilled", "zh": "未补足"},
    "prep_title": {"en": "Promotion round: {name}", "zh": "晋升和提任：{name}"},
    "prep_round": {"en": "promotion round", "zh": "晋升和提任"},
    "prep_sub": {"en": "Promotion date {date}. {n} promotion(s) and appointment(s), {proof}.",
                 "zh": "晋升基准日 {date}。晋升和提任 {n} 人，{proof}。"},
    "prep_rates": {"en": "Rank promotion rates: stations and posts against headquarters",
                   "zh": "职级晋升比例：派出所与机关"},
    "prep_impossible": {"en": "No list can fill every slot and opening", "zh": "无法补足全部名额和职位"},
    # --- progress lines (stderr)
    "pg_round": {"en": "promotion round on {date}: {officers} officers, {postings} postings",
                 "zh": "{date} 晋升和提任：{officers} 名民警，{postings} 条任职记录"},
    "pg_experience": {"en": "computing years of experience", "zh": "计算任职年限"},
    "pg_solving": {"en": "solving: {variables} variables, {constraints} constraints, {n} "
                         "preferences ({solver})",
                   "zh": "求解：{variables} 个变量，{constraints} 个约束，{n} 项优先顺序（{solver}）"},
    "pg_not_whole": {"en": "the relaxation's optimum is not whole: branch and bound instead",
                     "zh": "松弛问题的最优解不是整数：改用分支定界"},
    "pg_ties": {"en": "ties the preferences leave open in {n} bureau(s): settled by id",
                "zh": "{n} 个局在优先顺序下仍有并列：按编号确定"},
    "pg_preference": {"en": "preference {i} of {n}: {name}", "zh": "优先顺序 {i}/{n}：{name}"},
    "pg_stage_filled": {"en": "slots filled", "zh": "补足名额"},
    "pg_stage_community_first": {"en": "community experience first",
                                 "zh": "优先有社区警务工作经历者"},
    "pg_stage_score": {"en": "score", "zh": "考核分数"},
    "pg_stage_time_in_rank": {"en": "time in rank", "zh": "任现职级时间"},
    "pg_stage_id": {"en": "lower id first", "zh": "编号小者优先"},
    "pg_stage_id_track": {"en": "each officer's track, by id", "zh": "按编号确定类别"},
    # --- explain
    "pe_officer": {"en": "Officer {officer} ({unit}, bureau {bureau}; current role: {role})",
                   "zh": "民警 {officer}（{unit}，{bureau}；现任职务：{role}）"},
    "pe_recruit": {"en": "Officer {officer}: a recruit without a unit, takes no part",
                   "zh": "民警 {officer}：尚未分配单位的新招录民警，不参加"},
    "pe_track_yes": {"en": "{track}: eligible — {why}", "zh": "{track}：符合条件 — {why}"},
    "pe_track_no": {"en": "{track}: not eligible — {why}", "zh": "{track}：不符合条件 — {why}"},
    "pe_no_slots": {"en": "{track}: no slots in bureau {bureau} this round",
                    "zh": "{track}：{bureau} 本轮没有名额"},
    "pe_community": {"en": "community experience: {yes}", "zh": "社区警务工作经历：{yes}"},
    "pe_score": {"en": "score: {score}", "zh": "考核：{score}"},
    "pe_chosen": {"en": "in this round: {track}: {frm} → {to}; {reason}",
                  "zh": "本轮：{track}：{frm} → {to}；{reason}"},
    "pe_not_chosen": {"en": "in this round: not chosen", "zh": "本轮：未入选"},
    "pe_place": {"en": "{track}: place {place} of {n} eligible in bureau {bureau} by the preference "
                       "order; {slots} slot(s)",
                 "zh": "{track}：按优先顺序在 {bureau} 的 {n} 名符合条件民警中排第 {place}；名额 {slots} 个"},
    "pe_impossible": {"en": "in this round: no list can fill every slot and opening",
                      "zh": "本轮：无法补足全部名额和职位"},
}
