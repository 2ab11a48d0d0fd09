//! `code_enum!`: the one way a closed list of the law's values is declared — each value with
//! its code name (storage, API, URLs) and its Chinese label. The code name is also its JSON
//! form, so what is stored, what the API says and `as_str` can never drift apart.

/// Declares an enum of coded values: `Name { Variant = ("code", "标签"), … }`. It gets
/// `ALL`, `as_str`, `label`, `parse` (the code or the label) and serde as the code.
macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = ($code:literal, $label:literal)),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vm])* $v),* }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$v),*];
            /// The code name (storage, API).
            pub const fn as_str(self) -> &'static str { match self { $($name::$v => $code),* } }
            /// The Chinese label.
            pub const fn label(self) -> &'static str { match self { $($name::$v => $label),* } }
            /// Parses the code name or the Chinese label.
            pub fn parse(s: &str) -> Option<Self> {
                let s = s.trim();
                Self::ALL.iter().copied().find(|v| v.as_str() == s || v.label() == s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::code_enum::UnknownCode;
            /// Reads a stored code name; anything else is an error, never a default.
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s).ok_or($crate::code_enum::UnknownCode {
                    list: stringify!($name),
                    value: s,
                })
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                Self::parse(&s).ok_or_else(|| {
                    let codes: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                    serde::de::Error::custom(format!("「{s}」不是可选的值（{}）", codes.join("、")))
                })
            }
        }
    };
}

pub(crate) use code_enum;

/// A stored value that is not a code of its list: a row written by another version, or
/// damaged. Reading it is an error, never silently the first value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{list} 中没有代码「{value}」")]
pub struct UnknownCode {
    /// The list's type name.
    pub list: &'static str,
    /// The value found.
    pub value: String,
}

#[cfg(test)]
mod tests {
    use crate::item::DisclosureAttr;
    use crate::request::{ApplicantType, Channel, RequestState};

    #[test]
    fn the_json_form_is_the_code_name_for_every_coded_list() {
        for t in ApplicantType::ALL {
            assert_eq!(serde_json::to_value(t).ok(), Some(serde_json::json!(t.as_str())));
            assert_eq!(serde_json::from_value::<ApplicantType>(serde_json::json!(t.as_str())).ok(), Some(*t));
        }
        assert_eq!(serde_json::to_string(&ApplicantType::NaturalPerson).ok().as_deref(), Some("\"natural_person\""));
        assert_eq!(serde_json::to_string(&Channel::RegisteredPost).ok().as_deref(), Some("\"registered_post\""));
        assert_eq!(serde_json::to_string(&RequestState::AwaitingFee).ok().as_deref(), Some("\"awaiting_fee\""));
        assert_eq!(serde_json::to_string(&DisclosureAttr::OnRequest).ok().as_deref(), Some("\"on_request\""));
        assert_eq!(serde_json::from_str::<DisclosureAttr>("\"主动公开\"").ok(), Some(DisclosureAttr::Proactive));
        assert_eq!(Channel::try_from("online".to_string()).ok(), Some(Channel::Online));
        let stored = Channel::try_from("在线".to_string()).expect_err("labels are not stored codes");
        assert_eq!(stored.value, "在线");
        let e = serde_json::from_str::<Channel>("\"pigeon\"").expect_err("unknown");
        assert!(e.to_string().starts_with("「pigeon」不是可选的值（online、"), "{e}");
    }
}
