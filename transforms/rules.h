// Constructors of the C++ transforms, for the registry.
#pragma once

#include "engine/rule/rule.h"
#include "engine/rule/settings.h"

namespace asyncfix::rules {

RulePtr make_syntax_error();
RulePtr make_unused_suppression();
RulePtr make_blocking_http();
RulePtr make_blocking_open();
RulePtr make_blocking_fs();
RulePtr make_blocking_subprocess();
RulePtr make_sync_db_driver();
RulePtr make_blocking_input(const RuleSettings& settings);
RulePtr make_blocking_via_helper(const RuleSettings& settings);
RulePtr make_missing_await();
RulePtr make_await_outside_async();
RulePtr make_query_to_select();
RulePtr make_sync_session_dependency(const RuleSettings& settings);
RulePtr make_async_session_migration(const RuleSettings& settings);
RulePtr make_pool_acquire_leak();
RulePtr make_client_without_timeout(const RuleSettings& settings);
RulePtr make_dangling_task();
RulePtr make_unbounded_gather(const RuleSettings& settings);
RulePtr make_sequential_awaits();
RulePtr make_swallowed_cancellation();
RulePtr make_on_event_lifespan(const RuleSettings& settings);
RulePtr make_long_work_in_handler(const RuleSettings& settings);

}  // namespace asyncfix::rules
