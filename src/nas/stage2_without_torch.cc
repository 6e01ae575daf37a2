// Built when MCUNET_WITH_TORCH is off: the engine and CLI work, stage 2 explains.
#include "nas/export.h"
#include "nas/stage2.h"

namespace mcunet {

Expected<std::string> RunStage2(const SearchRequest&, Stage2Scope) {
  return Status::Error(
      "this mcunet was built without libtorch (MCUNET_WITH_TORCH=OFF): install libtorch-dev "
      "and reconfigure with -DMCUNET_WITH_TORCH=ON to train and search");
}

Expected<ExportReport> ExportRun(const ExportRequest&) {
  return Status::Error(
      "this mcunet was built without libtorch (MCUNET_WITH_TORCH=OFF): exporting reads the "
      "trained PyTorch weights; install libtorch-dev and reconfigure with -DMCUNET_WITH_TORCH=ON");
}

}  // namespace mcunet
