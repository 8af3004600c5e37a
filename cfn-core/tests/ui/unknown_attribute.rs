// A GetAtt name the resource type does not have is a compile error.
use cfn_core::{get_att, Attributes, ExprMap, LogicalId, ResourceType, Template, Value};

struct Topic;
struct TopicAttributes(LogicalId);
impl Attributes for TopicAttributes {
    fn for_resource(id: LogicalId) -> Self {
        TopicAttributes(id)
    }
}
impl TopicAttributes {
    fn topic_arn(&self) -> Value<String> {
        get_att(&self.0, "TopicArn")
    }
}
impl ResourceType for Topic {
    type Ref = String;
    type Attributes = TopicAttributes;
    fn type_name(&self) -> &str {
        "AWS::SNS::Topic"
    }
    fn into_properties(self) -> ExprMap {
        ExprMap::new()
    }
}

fn main() {
    let mut t = Template::new();
    let topic = t.add("Topic", Topic).unwrap();
    let _ok = topic.topic_arn();
    let _bad = topic.arn();
}
