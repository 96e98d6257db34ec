#include "engine/rule/context.h"

#include "engine/project/project.h"
#include "engine/syntax/node.h"

namespace asyncfix {

FileContext::FileContext(const SourceFile& source, TSNode root, const RuleSettings& settings,
                         std::string module_name, bool is_package, const ProjectIndex* project)
    : source_(source),
      root_(root),
      settings_(settings),
      module_name_(std::move(module_name)),
      is_package_(is_package),
      project_(project) {}

FileContext::~FileContext() = default;

const semantic::SemanticModel& FileContext::model() {
  if (!model_) {
    model_ = std::make_unique<semantic::SemanticModel>(
        semantic::SemanticModel::build(root_, source_.text(), module_name_, is_package_));
  }
  return *model_;
}

const std::vector<syntax::CompileError>& FileContext::compile_errors() {
  if (!compile_errors_) compile_errors_ = syntax::compile_errors(root_);
  return *compile_errors_;
}

ImportPlanner& FileContext::imports() {
  if (!imports_) imports_ = std::make_unique<ImportPlanner>(source_, root_, model());
  return *imports_;
}

const semantic::TypeOracle& FileContext::types() {
  if (!types_) types_ = std::make_unique<semantic::TypeOracle>(model(), project_);
  return *types_;
}

Finding& FileContext::report(TSNode node, std::string message) {
  return report_range(syntax::start(node), syntax::end(node), std::move(message));
}

Finding& FileContext::report_range(uint32_t begin, uint32_t end, std::string message) {
  Finding f;
  const RuleInfo& info = rule_->info();
  f.rule_id = info.id;
  f.rule_name = info.name;
  f.severity = info.severity;
  f.begin = begin;
  f.end = end;
  f.start_pos = source_.position(begin);
  f.end_pos = source_.position(end);
  f.message = message.empty() ? info.message : std::move(message);
  findings_.push_back(std::move(f));
  return findings_.back();
}

}  // namespace asyncfix
