//! Display titles from conference file names: `3-最终版+肖军+万亿级交易量下的苏宁支付平台设计`
//! → title `万亿级交易量下的苏宁支付平台设计`, author `肖军`.

/// A cleaned title and the speaker found in it, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanTitle {
    pub title: String,
    pub author: Option<String>,
}

pub fn clean(raw: &str) -> CleanTitle {
    CleanTitle {
        title: raw.trim().to_string(),
        author: None,
    }
}
