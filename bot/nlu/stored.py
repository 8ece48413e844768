"""Bases of our NLU components: StoredComponent (trainable; its learnt state is one file in Rasa's model
storage) and RuleComponent (nothing to learn: a rule applied to each message)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.training_data import TrainingData


class RuleComponent(GraphComponent):
    """A component with nothing to learn: subclasses apply their rule in `process`."""

    def __init__(self, model_storage: ModelStorage | None = None, resource: Resource | None = None) -> None:
        self._model_storage = model_storage
        self._resource = resource

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> RuleComponent:
        return cls(model_storage, resource)


class StoredComponent(RuleComponent):
    """Subclasses learn `state` in `learn`, write it with `dump` and read it back with `read`."""

    FILE = "state"

    def __init__(self, model_storage: ModelStorage, resource: Resource, state: Any = None) -> None:
        super().__init__(model_storage, resource)
        self.state = state

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> StoredComponent:
        with model_storage.read_from(resource) as directory:
            return cls(model_storage, resource, cls.read(directory / cls.FILE))

    def train(self, training_data: TrainingData) -> Resource:
        self.state = self.learn(training_data)
        with self._model_storage.write_to(self._resource) as directory:
            self.dump(self.state, directory / self.FILE)
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def learn(self, training_data: TrainingData) -> Any:
        raise NotImplementedError

    @staticmethod
    def dump(state: Any, path: Path) -> None:
        raise NotImplementedError

    @staticmethod
    def read(path: Path) -> Any:
        raise NotImplementedError
