"""Rules the twenty-third blind round asked for (`requests_round24.json`,
`registered_round24_*.json`: a Shopify-style store, a GitHub-style code host and an
Asana-style task API an admin registers): each test states a request the planner got wrong
before its rule (in other words than the round's), and what it plans now."""

from __future__ import annotations

from flows.core.ir import ApprovalNode, BranchNode, MapNode
from tests.planner.offline_plans import plan
from tests.planner.registered import demo_catalog_with, eval_catalog, steps

STORE = "registered_round24_store.json"
GITHUB = "registered_round24_github.json"
TASKS = "registered_round24_tasks.json"


def branch_of(flow):
    return next(node for node in flow.nodes if isinstance(node, BranchNode))


def test_a_number_after_the_things_noun_or_its_repo_fills_a_bare_number_input():
    # "close acme/web#412", "comment on issue 88": `number` was asked of the run
    flow = plan("close acme/api#77 as completed", eval_catalog(GITHUB))
    assert steps(flow)["github_issue_close"]["number"] == "77"
    assert steps(flow)["github_issue_close"]["state_reason"] == '"completed"'
    # ("PR 12": the initials of the "pull request" its description names)
    flow = plan("comment on PR 12 in acme/cli: 'looks good, merging'", eval_catalog(GITHUB))
    assert steps(flow)["github_issue_comment"]["number"] == "12"
    assert steps(flow)["github_issue_comment"]["body"] == '"looks good, merging"'


def test_a_condition_on_a_thing_written_with_its_number_reads_it_first():
    # "if the checks on acme/api PR 61 pass, merge it": a stock check was planned
    flow = plan(
        "if the checks on acme/web PR 44 fail, comment 'CI is red' on it", eval_catalog(GITHUB)
    )
    assert steps(flow)["github_pull_get"] == {"repo": '"acme/web"', "number": "44"}
    assert branch_of(flow).condition == 'github_pull_get.checks == "failure"'
    assert steps(flow)["github_issue_comment"]["repo"] == '"acme/web"'


def test_a_vendors_name_that_leads_its_ids_is_no_verb():
    # "check PR #75 in acme/web, if approved merge it": "github" was read as a verb, so
    # the merge asked the run for the repository the check was given
    flow = plan("check PR 3 in acme/cli and if it's approved merge it", eval_catalog(GITHUB))
    assert steps(flow)["github_pull_merge"]["repo"] == '"acme/cli"'


def test_a_listed_value_beats_the_tools_own_verb():
    # "squash merge acme/web pull request #230" merged with a merge commit
    flow = plan("rebase merge pull request #9 on acme/cli", eval_catalog(GITHUB))
    assert steps(flow)["github_pull_merge"]["merge_method"] == '"rebase"'


def test_a_one_word_flag_said_as_a_thing_to_do():
    # "cancel order 1077 as fraud and restock the items": `restock` was read as a condition
    flow = plan("cancel order 2001 because the customer asked, and restock", eval_catalog(STORE))
    assert steps(flow)["shopify_order_cancel"]["restock"] == "true"
    flow = plan("refund $9 on order 2002 but don't restock it", eval_catalog(STORE))
    assert steps(flow)["shopify_refund_create"]["restock"] == "false"


def test_a_release_tag_is_the_version_written():
    # "draft a release v1.4.0": `tag_name` asked of the run, `draft` left out
    flow = plan("draft a release v0.9.1 for acme/web", eval_catalog(GITHUB))
    assert steps(flow)["github_release_create"]["tag_name"] == '"v0.9.1"'
    assert steps(flow)["github_release_create"]["draft"] == "true"


def test_a_code_in_capitals_without_digits_is_the_sku():
    # "set stock for TEE-BLK-M to 40": the SKU and the count asked of the run
    flow = plan("set stock for SOCK-GRN-L to 12", eval_catalog(STORE))
    assert steps(flow)["shopify_inventory_set"]["sku"] == '"SOCK-GRN-L"'
    assert steps(flow)["shopify_inventory_set"]["available"] == "12"
    flow = plan("change the price of BAG-TAN to $59", eval_catalog(STORE))
    assert steps(flow)["shopify_variant_price_update"]["sku"] == '"BAG-TAN"'


def test_one_product_code_is_read_by_the_tool_that_takes_a_sku():
    # "check HOODIE-GRY and if there are fewer than 5 left, email ...": the demo stock
    # check of order lines asked of the run, and "left" compared the price
    flow = plan(
        "check SCARF-RED and if fewer than 3 are left, email buyer@northloom.co",
        eval_catalog(STORE),
    )
    assert steps(flow)["shopify_product_get"]["sku"] == '"SCARF-RED"'
    assert branch_of(flow).condition == "shopify_product_get.inventory_quantity < 3.0"


def test_a_loop_over_numbered_things_gives_each_number_to_the_integer_id():
    # "mark orders 1201, 1202 and 1203 as fulfilled" was refused (the items were strings)
    flow = plan("fulfil orders 3001, 3002 and 3003", eval_catalog(STORE))
    loop = next(node for node in flow.nodes if isinstance(node, MapNode))
    assert loop.items == "[3001, 3002, 3003]"
    assert loop.inputs["order_number"] == "item"
    # ("issues 501, 502, 503": a bare `number`, its nouns from the tool's description)
    flow = plan("close issues 7 and 8 in acme/web", eval_catalog(GITHUB))
    loop = next(node for node in flow.nodes if isinstance(node, MapNode))
    assert loop.inputs["number"] == "item"


def test_values_after_a_list_inputs_own_word_and_handles_for_people():
    # "with labels bug and ui", "ask @lena and @omar to review": lists asked of the run
    flow = plan(
        "open an issue in acme/cli 'Crash on --help' with label bug and assign it to lena",
        eval_catalog(GITHUB),
    )
    issue = steps(flow)["github_issue_create"]
    assert issue["title"] == '"Crash on --help"'
    assert issue["labels"] == '["bug"]'
    assert issue["assignees"] == '["lena"]'
    flow = plan("ask @sam and @kim to review PR 8 on acme/web", eval_catalog(GITHUB))
    assert steps(flow)["github_reviewers_request"]["reviewers"] == '["sam", "kim"]'


def test_assign_it_after_a_step_that_makes_a_thing_is_its_assignee():
    # "add a task ..., assign it to maya@...": refused as a step no tool does
    flow = plan(
        "create a task 'Order badges' in the Events project, assign it to jo@lumen.io",
        eval_catalog(TASKS),
    )
    task = steps(flow)["asana_task_create"]
    assert task["assignee"] == '"jo@lumen.io"'
    assert task["project"] == '"Events"'


def test_assign_it_to_them_takes_the_id_of_the_person_found():
    # "find the asana user for ben@... and assign task ... to them": a task was created
    flow = plan(
        "find the asana user for kim@lumen.io and assign task 1200000000001 to her",
        eval_catalog(TASKS),
    )
    assert steps(flow)["asana_task_update"]["assignee_gid"] == "asana_user_get.gid"


def test_a_name_in_capitals_is_the_project():
    # "create a high priority task in Website Relaunch ...", "the Mobile App project"
    # (read as asking for a text message): the project asked of the run
    flow = plan("create a task 'Book venue' in Summer Offsite due june 5 2026", eval_catalog(TASKS))
    task = steps(flow)["asana_task_create"]
    assert task["project"] == '"Summer Offsite"'
    assert task["due_on"] == '"2026-06-05"'
    flow = plan(
        "check the Mobile Checkout project and if more than 2 tasks are overdue email "
        "pm@lumen.io",
        eval_catalog(TASKS),
    )
    assert steps(flow)["asana_project_status"]["project"] == '"Mobile Checkout"'
    assert branch_of(flow).condition == "asana_project_status.overdue_tasks > 2.0"


def test_leaving_a_comment_adds_one():
    # "leave a comment on task ...: '...'": no tool does "leave"
    flow = plan("leave a note on task 1200000000002: 'waiting on design'", eval_catalog(TASKS))
    assert steps(flow)["asana_comment_add"]["text"] == '"waiting on design"'


def test_a_rule_for_a_kind_of_doing_gates_the_step_said_next():
    # "closing tasks in the Compliance project needs approval from the auditor. complete
    # task ...": the rule was planned as a step, and "complete" after the vendor's name
    # was no verb (the completion was left out)
    flow = plan(
        "finishing tasks in the Legal project needs sign-off from the counsel. complete task "
        "1200000000003",
        eval_catalog(TASKS),
    )
    approval = next(node for node in flow.nodes if isinstance(node, ApprovalNode))
    assert set(steps(flow)) == {"asana_task_complete"}
    assert steps(flow)["asana_task_complete"]["task_gid"] == '"1200000000003"'
    assert approval.id in next(n for n in flow.nodes if n.id == "asana_task_complete").after


def test_a_country_code_before_a_last_word_and_a_summary_said_tldr():
    # "..., Paris, FR express": shipped with no country; "tl;dr of <url>": not summarised
    flow = plan("ship order Q-7 to 3 Via Roma, Milan, IT express", demo_catalog_with([]))
    assert steps(flow)["create_shipment"]["country"] == '"IT"'
    flow = plan("tl;dr of https://x.io/post in 1 sentence", demo_catalog_with([]))
    assert steps(flow)["summarize_text"]["text"] == "fetch_url.text"


def test_the_thing_a_gid_names_is_no_verb():
    # "if task 1201112223334 isn't completed yet, comment ...": "task" (the word after the
    # brand in `asana_task_get`) was a verb, and the condition was refused as a step
    flow = plan(
        "if task 1200000000004 is not completed yet, comment 'ping' on it", eval_catalog(TASKS)
    )
    assert steps(flow)["asana_task_get"]["task_gid"] == '"1200000000004"'
    assert branch_of(flow).condition == "!asana_task_get.completed"


def test_a_question_of_a_numbered_thing_then_its_answer_sent_reads_it_first():
    # "is task 1201112223334 done yet? email me the answer at ...": refused as a condition
    # no step before it tells
    flow = plan(
        "is task 1200000000005 finished? email the answer to pm@lumen.io", eval_catalog(TASKS)
    )
    assert steps(flow)["asana_task_get"]["task_gid"] == '"1200000000005"'
    assert "asana_task_get" in steps(flow)["send_email"]["body"]


def test_a_thing_made_as_a_kind_a_yes_no_input_names_goes_to_that_tool():
    # "cut v2.0.0 of acme/api as a prerelease" was refused: "cut" is no tool's verb
    flow = plan("cut v3.1.0 of acme/web as a pre-release", eval_catalog(GITHUB))
    release = steps(flow)["github_release_create"]
    assert release["tag_name"] == '"v3.1.0"'
    assert release["prerelease"] == "true"
