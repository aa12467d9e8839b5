"""The AI engine every AI function runs through (shared by planner and writer).

Run a function: ``await AIEngine().run(AutoCluster(save=...), ClusterRequest(...),
AIContext(account_id=..., provider=build_provider(config), on_progress=...))``. The library
holds no database or NATS: the caller persists in ``save`` and publishes the returned
``UsageRecord`` and the progress it is told about.
"""

from igny8_ai.engine import (
    PHASE_PERCENT,
    AIContext,
    AIEngine,
    AIFunctionFailed,
    OperationResult,
    Phase,
    ProgressCallback,
)
from igny8_ai.functions import AutoCluster, ClusterRequest, GenerateIdeas, IdeaCluster, IdeasRequest
from igny8_ai.functions_base import AIFunction, InvalidAnswer, InvalidRequest
from igny8_ai.limits import LimiterRegistry, ProviderLimits, RetryPolicy
from igny8_ai.offline import OfflineProvider
from igny8_ai.prompts import (
    DEFAULT_PROMPTS,
    PromptTemplate,
    PromptValidationError,
    resolve_prompt,
    validate_template,
)
from igny8_ai.providers import (
    OFFLINE_MARK,
    OpenAICompatibleProvider,
    Provider,
    ProviderConfig,
    ProviderError,
    build_provider,
)
from igny8_ai.usage import UsageRecord, cost_usd

__all__ = [
    "DEFAULT_PROMPTS",
    "OFFLINE_MARK",
    "PHASE_PERCENT",
    "AIContext",
    "AIEngine",
    "AIFunction",
    "AIFunctionFailed",
    "AutoCluster",
    "ClusterRequest",
    "GenerateIdeas",
    "IdeaCluster",
    "IdeasRequest",
    "InvalidAnswer",
    "InvalidRequest",
    "LimiterRegistry",
    "OfflineProvider",
    "OpenAICompatibleProvider",
    "OperationResult",
    "Phase",
    "ProgressCallback",
    "PromptTemplate",
    "PromptValidationError",
    "Provider",
    "ProviderConfig",
    "ProviderError",
    "ProviderLimits",
    "RetryPolicy",
    "UsageRecord",
    "build_provider",
    "cost_usd",
    "resolve_prompt",
    "validate_template",
]
