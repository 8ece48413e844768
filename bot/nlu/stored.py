"""StoredComponent: a trainable NLU component whose learnt state is one file in Rasa's model storage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.training_data import TrainingData


class StoredComponent(GraphComponent):
    """Subclasses learn `state` in `learn`, write it with `dump` and read it back with `read`."""

    FILE = "state"

    def __init__(self, model_storage: ModelStorage, resource: Resource, state: Any = None) -> None:
        self._model_storage = model_storage
        self._resource = resource
        self.state = state

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> StoredComponent:
        return cls(model_storage, resource)

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
