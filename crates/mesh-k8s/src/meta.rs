//! Object metadata checked by Kubernetes' rules (apimachinery's
//! `ValidateObjectMeta`): names, namespaces, label keys and values,
//! annotation keys and total annotation size.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use mesh_model::rules;

/// Largest total size of an object's annotations (keys plus values).
pub const MAX_ANNOTATIONS_BYTES: usize = 256 * 1024;

/// Metadata that the API server would reject.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MetadataError {
    /// `metadata.name` is missing.
    #[error("metadata.name is required")]
    MissingName,
    /// `metadata.name` is not a DNS-1123 subdomain.
    #[error("metadata.name {name:?} {reason}")]
    Name {
        /// The name.
        name: String,
        /// The rule it breaks.
        reason: &'static str,
    },
    /// A namespaced object without namespace.
    #[error("metadata.namespace is required for a namespaced kind")]
    MissingNamespace,
    /// A namespace set on a cluster-scoped object.
    #[error("metadata.namespace must not be set on a cluster-scoped kind")]
    UnexpectedNamespace,
    /// `metadata.namespace` is not a DNS-1123 label.
    #[error("metadata.namespace {namespace:?} {reason}")]
    Namespace {
        /// The namespace.
        namespace: String,
        /// The rule it breaks.
        reason: &'static str,
    },
    /// A label key is not a qualified name.
    #[error("metadata.labels key {key:?} {reason}")]
    LabelKey {
        /// The key.
        key: String,
        /// The rule it breaks.
        reason: &'static str,
    },
    /// A label value is invalid.
    #[error("metadata.labels[{key}] value {value:?} {reason}")]
    LabelValue {
        /// The key.
        key: String,
        /// The value.
        value: String,
        /// The rule it breaks.
        reason: &'static str,
    },
    /// An annotation key is not a qualified name.
    #[error("metadata.annotations key {key:?} {reason}")]
    AnnotationKey {
        /// The key.
        key: String,
        /// The rule it breaks.
        reason: &'static str,
    },
    /// Annotations are too large in total.
    #[error("metadata.annotations are {size} bytes in total; the limit is 262144")]
    AnnotationsTooLarge {
        /// Total size.
        size: usize,
    },
}

/// Checks `meta` as the API server does on create. `namespaced` says
/// whether the kind is namespaced (then a namespace is required).
pub fn validate_metadata(meta: &ObjectMeta, namespaced: bool) -> Result<(), MetadataError> {
    let name = meta.name.as_deref().ok_or(MetadataError::MissingName)?;
    rules::dns1123_subdomain(name).map_err(|reason| MetadataError::Name {
        name: name.to_owned(),
        reason,
    })?;
    match (&meta.namespace, namespaced) {
        (None, true) => return Err(MetadataError::MissingNamespace),
        (Some(_), false) => return Err(MetadataError::UnexpectedNamespace),
        (Some(ns), true) => {
            rules::dns1123_label(ns).map_err(|reason| MetadataError::Namespace {
                namespace: ns.clone(),
                reason,
            })?
        }
        (None, false) => {}
    }
    if let Some(labels) = &meta.labels {
        for (k, v) in labels {
            rules::qualified_name(k).map_err(|reason| MetadataError::LabelKey {
                key: k.clone(),
                reason,
            })?;
            rules::label_value(v).map_err(|reason| MetadataError::LabelValue {
                key: k.clone(),
                value: v.clone(),
                reason,
            })?;
        }
    }
    if let Some(annotations) = &meta.annotations {
        let mut size = 0;
        for (k, v) in annotations {
            rules::qualified_name(k).map_err(|reason| MetadataError::AnnotationKey {
                key: k.clone(),
                reason,
            })?;
            size += k.len() + v.len();
        }
        if size > MAX_ANNOTATIONS_BYTES {
            return Err(MetadataError::AnnotationsTooLarge { size });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn meta(name: &str, ns: Option<&str>) -> ObjectMeta {
        ObjectMeta {
            name: Some(name.into()),
            namespace: ns.map(Into::into),
            ..Default::default()
        }
    }

    #[test]
    fn names_and_namespaces() {
        assert_eq!(validate_metadata(&meta("a.b-c", Some("ns")), true), Ok(()));
        assert_eq!(validate_metadata(&meta("ns", None), false), Ok(()));
        assert_eq!(
            validate_metadata(&ObjectMeta::default(), true),
            Err(MetadataError::MissingName)
        );
        assert!(matches!(
            validate_metadata(&meta("A", Some("ns")), true),
            Err(MetadataError::Name { .. })
        ));
        assert_eq!(
            validate_metadata(&meta("a", None), true),
            Err(MetadataError::MissingNamespace)
        );
        assert_eq!(
            validate_metadata(&meta("a", Some("x")), false),
            Err(MetadataError::UnexpectedNamespace)
        );
        assert!(matches!(
            validate_metadata(&meta("a", Some("a.b")), true),
            Err(MetadataError::Namespace { .. })
        ));
    }

    #[test]
    fn labels_and_annotations() {
        let mut m = meta("a", Some("b"));
        m.labels = Some(BTreeMap::from([(
            "app.kubernetes.io/name".into(),
            "x".into(),
        )]));
        m.annotations = Some(BTreeMap::from([(
            "linkerd.io/inject".into(),
            "enabled".into(),
        )]));
        assert_eq!(validate_metadata(&m, true), Ok(()));
        m.labels = Some(BTreeMap::from([("app".into(), "not valid".into())]));
        assert!(matches!(
            validate_metadata(&m, true),
            Err(MetadataError::LabelValue { .. })
        ));
        m.labels = Some(BTreeMap::from([("/app".into(), "x".into())]));
        assert!(matches!(
            validate_metadata(&m, true),
            Err(MetadataError::LabelKey { .. })
        ));
        m.labels = None;
        m.annotations = Some(BTreeMap::from([(
            "a".into(),
            "x".repeat(MAX_ANNOTATIONS_BYTES),
        )]));
        assert!(matches!(
            validate_metadata(&m, true),
            Err(MetadataError::AnnotationsTooLarge { .. })
        ));
    }
}
