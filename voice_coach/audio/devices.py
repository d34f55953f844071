"""Audio devices through sounddevice (PortAudio): list them, pick the microphone.

Every PortAudio failure becomes a :class:`~voice_coach.errors.DeviceError` with a message a
user can act on, because "PaErrorCode -9996" tells nobody that the microphone is unplugged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from voice_coach.errors import DeviceError

NO_MIC_HINT = "run `voice-coach try --example` to see a report on the bundled example answer instead"


@dataclass(frozen=True)
class DeviceInfo:
    """One PortAudio device.

    Attributes:
        index: PortAudio's device number (what ``--device`` accepts, besides a name).
        name: the device name (``"pulse"``, ``"USB Audio: ..."``).
        hostapi: the host API name (``"ALSA"``, ``"Core Audio"``...).
        inputs: input channels (0: not a microphone).
        outputs: output channels.
        default_rate: the device's native sample rate.
        default_input: whether this is the system's default input.
        default_output: whether this is the system's default output.
    """

    index: int
    name: str
    hostapi: str
    inputs: int
    outputs: int
    default_rate: float
    default_input: bool = False
    default_output: bool = False


def sounddevice() -> Any:
    """The ``sounddevice`` module, or :class:`DeviceError` if PortAudio is missing."""
    try:
        import sounddevice as sd
    except (ImportError, OSError) as err:
        raise DeviceError(
            f"audio is unavailable: PortAudio could not be loaded ({err}); install libportaudio2 "
            f"(scripts/setup.sh does), or {NO_MIC_HINT}"
        ) from None
    return sd


def list_devices() -> list[DeviceInfo]:
    """Every device PortAudio reports, with the defaults marked."""
    sd = sounddevice()
    try:
        raw = sd.query_devices()
        apis = sd.query_hostapis()
        default_in, default_out = sd.default.device
    except Exception as err:  # PortAudio raises PortAudioError, but also plain errors
        raise DeviceError(f"cannot list audio devices: {err}") from None
    out = []
    for d in raw:
        idx = int(d["index"])
        out.append(DeviceInfo(
            index=idx,
            name=str(d["name"]),
            hostapi=str(apis[d["hostapi"]]["name"]),
            inputs=int(d["max_input_channels"]),
            outputs=int(d["max_output_channels"]),
            default_rate=float(d["default_samplerate"]),
            default_input=idx == default_in,
            default_output=idx == default_out,
        ))
    return out


def input_devices() -> list[DeviceInfo]:
    """Devices with at least one input channel."""
    return [d for d in list_devices() if d.inputs > 0]


def default_input_device() -> DeviceInfo | None:
    """The default microphone, the first input device if there is no default, or ``None``."""
    try:
        inputs = input_devices()
    except DeviceError:
        return None
    for d in inputs:
        if d.default_input:
            return d
    return inputs[0] if inputs else None


def resolve_input_device(spec: str | None) -> DeviceInfo:
    """The input device ``--device`` names: an index, an exact name, or a unique name substring.

    ``None`` means the default. No match, an ambiguous name, an output-only device, or no
    microphone at all is a :class:`DeviceError` that says what to do next.
    """
    inputs = input_devices()
    if not inputs:
        raise DeviceError(f"no microphone found; plug one in and check `voice-coach devices`, or {NO_MIC_HINT}")
    if spec is None or spec == "":
        dev = default_input_device()
        assert dev is not None
        return dev
    if spec.strip().isdigit():
        idx = int(spec)
        for d in list_devices():
            if d.index == idx:
                if d.inputs == 0:
                    raise DeviceError(f"device {idx} ({d.name}) has no inputs; `voice-coach devices` lists microphones")
                return d
        raise DeviceError(f"no audio device number {idx}; `voice-coach devices` lists them")
    exact = [d for d in inputs if d.name == spec]
    if exact:
        return exact[0]
    partial = [d for d in inputs if spec.lower() in d.name.lower()]
    if len(partial) == 1:
        return partial[0]
    if partial:
        names = "; ".join(f"{d.index}: {d.name}" for d in partial)
        raise DeviceError(f"--device {spec!r} matches several microphones ({names}); pass the number")
    raise DeviceError(f"no microphone matches {spec!r}; `voice-coach devices` lists them")
