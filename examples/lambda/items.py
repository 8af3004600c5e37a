import json
import os

import boto3

table = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


def handler(event, context):
    item_id = event["pathParameters"]["id"]
    if event["requestContext"]["http"]["method"] == "PUT":
        body = json.loads(event.get("body") or "{}")
        table.put_item(Item={**body, "id": item_id})
        return {"statusCode": 204}
    item = table.get_item(Key={"id": item_id}).get("Item")
    if item is None:
        return {"statusCode": 404}
    return {"statusCode": 200, "body": json.dumps(item, default=str)}
