//! Attributes camera use through PipeWire. When PipeWire holds a camera
//! node open, the program really using it is a client whose video stream is
//! linked to the camera's source node; `pw-dump` shows both. Which process
//! that client is comes from PipeWire's own `pipewire.sec.pid` (taken from
//! the socket by the server); the stream's `application.process.id` is the
//! program's claim, and alone makes it an unknown program.

use serde_json::Value;

use super::{DeviceUse, Trust, UseKind};

fn props(obj: &Value) -> Option<&serde_json::Map<String, Value>> {
    obj.get("info")?.get("props")?.as_object()
}

fn prop_str(obj: &Value, key: &str) -> Option<String> {
    match props(obj)?.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The uses `pw-dump`'s output shows: one per client stream linked to a
/// V4L2 camera node.
pub fn camera_clients(dump: &Value) -> Vec<DeviceUse> {
    let Some(objects) = dump.as_array() else {
        return vec![];
    };
    let by_id = |id: u64| {
        objects
            .iter()
            .find(|o| o.get("id") == Some(&Value::from(id)))
    };
    let mut out: Vec<DeviceUse> = Vec::new();
    for link in objects
        .iter()
        .filter(|o| o.get("type").and_then(Value::as_str) == Some("PipeWire:Interface:Link"))
    {
        let info = link.get("info");
        let ends = info.and_then(|i| {
            Some((
                i.get("output-node-id")?.as_u64()?,
                i.get("input-node-id")?.as_u64()?,
            ))
        });
        let Some((out_id, in_id)) = ends else {
            continue;
        };
        let (Some(source), Some(stream)) = (by_id(out_id), by_id(in_id)) else {
            continue;
        };
        if prop_str(source, "media.class").as_deref() != Some("Video/Source") {
            continue;
        }
        let Some(path) = prop_str(source, "api.v4l2.path") else {
            continue;
        };
        let client = prop_str(stream, "client.id")
            .and_then(|c| c.parse::<u64>().ok())
            .and_then(by_id);
        let verified_pid = client
            .and_then(|c| prop_str(c, "pipewire.sec.pid"))
            .and_then(|p| p.parse::<u32>().ok());
        let claimed_pid = prop_str(stream, "application.process.id").and_then(|p| p.parse().ok());
        let (pid, trust) = match (verified_pid, claimed_pid) {
            // The location is checked by the caller, which can see the disk.
            (Some(pid), _) => (pid, Trust::UntrustedLocation),
            (None, Some(pid)) => (pid, Trust::Claimed),
            (None, None) => continue,
        };
        let exe = prop_str(stream, "application.process.binary")
            .or_else(|| prop_str(stream, "application.name"))
            .unwrap_or_default();
        let device_name = prop_str(source, "node.description")
            .or_else(|| prop_str(source, "node.nick"))
            .unwrap_or_else(|| path.clone());
        if !out.iter().any(|u| u.device == path && u.pid == pid) {
            out.push(DeviceUse {
                kind: UseKind::Camera,
                device: path,
                device_name,
                pid,
                exe,
                user: prop_str(stream, "application.process.user"),
                trust,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_browser_linked_to_the_camera_node_is_named() {
        // Trimmed from `pw-dump` on Fedora 40 with Firefox in a video call.
        let dump: Value = serde_json::from_str(
            r#"[
            {"id": 31, "type": "PipeWire:Interface:Client", "info": {"props": {"application.name": "pipewire"}}},
            {"id": 52, "type": "PipeWire:Interface:Node", "info": {"state": "running", "props": {
                "media.class": "Video/Source", "api.v4l2.path": "/dev/video0",
                "node.description": "Integrated Camera (V4L2)", "object.id": 52}}},
            {"id": 88, "type": "PipeWire:Interface:Node", "info": {"state": "running", "props": {
                "media.class": "Stream/Input/Video", "application.name": "Firefox",
                "application.process.id": 4242, "application.process.binary": "firefox",
                "application.process.user": "agent"}}},
            {"id": 90, "type": "PipeWire:Interface:Node", "info": {"props": {
                "media.class": "Stream/Input/Audio", "application.process.id": "4242"}}},
            {"id": 95, "type": "PipeWire:Interface:Link", "info": {"output-node-id": 52, "input-node-id": 88, "state": "active"}},
            {"id": 96, "type": "PipeWire:Interface:Link", "info": {"output-node-id": 52, "input-node-id": 88, "state": "active"}},
            {"id": 97, "type": "PipeWire:Interface:Link", "info": {"output-node-id": 12, "input-node-id": 90}}
        ]"#,
        )
        .unwrap();
        let uses = camera_clients(&dump);
        assert_eq!(uses.len(), 1, "{uses:?}");
        assert_eq!(uses[0].pid, 4242);
        assert_eq!(uses[0].exe, "firefox");
        assert_eq!(uses[0].device, "/dev/video0");
        assert_eq!(uses[0].device_name, "Integrated Camera (V4L2)");
        assert_eq!(uses[0].user.as_deref(), Some("agent"));
        assert_eq!(
            uses[0].trust,
            Trust::Claimed,
            "no pipewire.sec.pid: a claim"
        );
    }

    #[test]
    fn the_servers_pid_wins_over_the_streams_claim() {
        let dump: Value = serde_json::from_str(
            r#"[
            {"id": 40, "type": "PipeWire:Interface:Client", "info": {"props": {
                "pipewire.sec.pid": 5150, "application.process.id": 1}}},
            {"id": 52, "type": "PipeWire:Interface:Node", "info": {"props": {
                "media.class": "Video/Source", "api.v4l2.path": "/dev/video0"}}},
            {"id": 88, "type": "PipeWire:Interface:Node", "info": {"props": {
                "media.class": "Stream/Input/Video", "client.id": 40,
                "application.process.id": 1, "application.process.binary": "zoiper"}}},
            {"id": 95, "type": "PipeWire:Interface:Link", "info": {"output-node-id": 52, "input-node-id": 88}}
        ]"#,
        )
        .unwrap();
        let uses = camera_clients(&dump);
        assert_eq!(uses.len(), 1, "{uses:?}");
        assert_eq!(uses[0].pid, 5150);
        assert_eq!(uses[0].trust, Trust::UntrustedLocation);
    }

    #[test]
    fn unexpected_shapes_give_nothing() {
        for text in [
            "{}",
            "[]",
            r#"[{"type": "PipeWire:Interface:Link"}]"#,
            "null",
        ] {
            let v: Value = serde_json::from_str(text).unwrap();
            assert!(camera_clients(&v).is_empty(), "{text}");
        }
    }
}
