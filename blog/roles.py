"""Who may do what: the Author and Editor roles, as Django groups and permissions.

The groups are created by a migration (blog/migrations/0011_roles.py) from the
lists below. Everything else asks Django's permission system, so a site owner
can also grant a single permission to one user in the admin.

- An **Author** writes: adds posts, edits and deletes the posts whose author
  profile is linked to their user, publishes them, uploads images, manages tags.
  They can read everyone else's posts but not change them, see the media library and
  describe its images (alt text, caption, credit), and they do not see
  books, praise, site settings, enquiries, redirects or users.
- An **Editor** looks after all content: anyone's posts, publishing, tags,
  authors, books, praise, site settings, redirects, preview links. Not enquiries
  (visitors' personal data) and not users or groups.
- Superusers may do everything, as always in Django.
"""

from django.db.models import Q

AUTHOR = "Author"
EDITOR = "Editor"

# Custom permissions on Post (see Post.Meta.permissions).
PUBLISH = "blog.publish_post"
EDIT_OTHERS = "blog.edit_others_posts"

# Codenames per app. An Author publishes their own posts: on a site with one
# writer, a second person approving every post would be in the way. Remove
# "publish_post" from the group in the admin for a site where editors publish.
AUTHOR_PERMISSIONS = {
    "blog": [
        "add_post",
        "change_post",
        "delete_post",
        "view_post",
        "publish_post",
        "view_author",
        "add_tag",
        "change_tag",
        "delete_tag",
        "view_tag",
        "add_faqitem",
        "change_faqitem",
        "delete_faqitem",
        "view_faqitem",
        "add_keepreading",
        "change_keepreading",
        "delete_keepreading",
        "view_keepreading",
        # The media library: their images' alt text, caption and credit; deleting is an editor's.
        "view_bodyimage",
        "change_bodyimage",
    ],
}

# Every permission of these apps, including the custom ones above.
EDITOR_APPS = ["blog", "books", "praise", "pages", "redirects", "previews"]

# Whoever may change one of these works in the Markdown editor: its live preview and
# its image uploads (blog/editor.py).
MARKDOWN_EDITOR_PERMISSIONS = [
    "blog.add_post",
    "blog.change_post",
    "blog.change_author",
    "books.change_book",
]


def may_edit_others_posts(user):
    return user.has_perm(EDIT_OTHERS)


def owns(user, post):
    """The post's author profile is linked to this user."""
    return post.author_id is not None and post.author.user_id == user.pk


def editable_posts(user, posts):
    """The part of ``posts`` this user may change (their own, or all for an editor)."""
    if may_edit_others_posts(user):
        return posts
    return posts.filter(author__user=user)


def may_use_markdown_editor(user):
    return user.is_active and user.is_staff and any(map(user.has_perm, MARKDOWN_EDITOR_PERMISSIONS))


def may_preview_posts(user):
    """Whether the article pages show this user drafts and scheduled posts too."""
    return (
        user.is_active
        and user.is_staff
        and (user.has_perm("blog.view_post") or user.has_perm("blog.change_post"))
    )


def create_groups(apps, schema_editor):
    """Migration code: the Author and Editor groups with their permissions.

    Permissions are normally created after ``migrate`` finishes (post_migrate);
    on a fresh database they do not exist yet, so create them first.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True  # historical apps have none; create_permissions asks
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    author_perms = Q()
    for app_label, codenames in AUTHOR_PERMISSIONS.items():
        author_perms |= Q(content_type__app_label=app_label, codename__in=codenames)
    roles = {
        AUTHOR: Permission.objects.filter(author_perms),
        EDITOR: Permission.objects.filter(content_type__app_label__in=EDITOR_APPS),
    }
    for name, permissions in roles.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[AUTHOR, EDITOR]).delete()
