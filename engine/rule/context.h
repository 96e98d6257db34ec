// What a rule sees of the file it checks: the text, the tree, the semantic model (built on
// first use), the import service, the settings, and where its findings go.
#pragma once

#include <tree_sitter/api.h>

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/rewrite/imports.h"
#include "engine/rule/rule.h"
#include "engine/rule/settings.h"
#include "engine/semantic/model.h"
#include "engine/semantic/types.h"
#include "engine/source/source_file.h"
#include "engine/syntax/compile_check.h"

namespace asyncfix {

class ProjectIndex;
struct ProjectPlan;

class FileContext {
 public:
  FileContext(const SourceFile& source, TSNode root, const RuleSettings& settings,
              std::string module_name = {}, bool is_package = false,
              const ProjectIndex* project = nullptr);
  ~FileContext();

  const SourceFile& source() const { return source_; }
  std::string_view text() const { return source_.text(); }
  TSNode root() const { return root_; }
  const RuleSettings& settings() const { return settings_; }
  const ProjectIndex* project() const { return project_; }
  const std::string& module_name() const { return module_name_; }

  const semantic::SemanticModel& model();
  ImportPlanner& imports();
  // Types of expressions (sessions, clients, paths), with the project index when there is one.
  const semantic::TypeOracle& types();
  // What Python would refuse to compile in this text although it parses (made on first use).
  const std::vector<syntax::CompileError>& compile_errors();

  // Reports a finding of the current rule over a node or a byte range. The message defaults
  // to the rule's own. The returned finding can be given a fix, a note, a trace.
  Finding& report(TSNode node, std::string message = {});
  Finding& report_range(uint32_t begin, uint32_t end, std::string message = {});

  // The rule being run, and the plan it made for the project (Rule::prepare_project).
  void set_rule(const Rule* rule, const ProjectPlan* plan = nullptr) {
    rule_ = rule;
    plan_ = plan;
  }
  const Rule* rule() const { return rule_; }
  const ProjectPlan* plan() const { return plan_; }
  template <class T>
  const T* plan_as() const {
    return dynamic_cast<const T*>(plan_);
  }
  // What the current rule works out once per file and reuses for every match (rules are
  // shared by threads and files, so it cannot live in the rule): made on first use, gone with
  // the context (one pass over one text).
  template <class T>
  T& rule_cache() {
    std::shared_ptr<void>& slot = caches_[rule_];
    if (!slot) slot = std::make_shared<T>();
    return *std::static_pointer_cast<T>(slot);
  }
  std::deque<Finding>& findings() { return findings_; }

 private:
  const SourceFile& source_;
  TSNode root_;
  const RuleSettings& settings_;
  std::string module_name_;
  bool is_package_;
  const ProjectIndex* project_;
  std::unique_ptr<semantic::SemanticModel> model_;
  std::unique_ptr<ImportPlanner> imports_;
  std::unique_ptr<semantic::TypeOracle> types_;
  std::optional<std::vector<syntax::CompileError>> compile_errors_;
  const Rule* rule_ = nullptr;
  const ProjectPlan* plan_ = nullptr;
  std::map<const Rule*, std::shared_ptr<void>> caches_;
  std::deque<Finding> findings_;  // a deque: report() hands out references that must stay valid
};

}  // namespace asyncfix
